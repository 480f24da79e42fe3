import assert from "node:assert/strict";
import { edgeConfigFromEnv } from "../../edge/deno.ts";
import { entraClientCredentials, EntraTokenError } from "../../edge/mod.ts";

const TENANT = "contoso.onmicrosoft.com";
const CLIENT = "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f";
const SECRET = "entra~token-response~secret";
const NOW = 1_800_000_000_000;

/**
 * A provider whose token endpoint answers `body` (as JSON, or a Response as it is) with `status`,
 * and the URLs it was asked.
 */
function answering(body: unknown, status = 200, options: { authorityHost?: string } = {}) {
  const urls: string[] = [];
  const provider = entraClientCredentials({
    tenantId: TENANT,
    clientId: CLIENT,
    clientSecret: SECRET,
    ...options,
    now: () => NOW,
    fetch: (request) => {
      urls.push(request.url);
      return Promise.resolve(
        body instanceof Response ? body.clone() : Response.json(body, { status }),
      );
    },
  });
  return { provider, urls };
}

Deno.test("entraClientCredentials(): a token answer with expires_on (seconds since the epoch, number or string) and no expires_in is read", async () => {
  for (const expiresOn of [NOW / 1000 + 3600, String(NOW / 1000 + 3600)]) {
    const { provider } = answering({
      token_type: "Bearer",
      access_token: "t1",
      expires_on: expiresOn,
    });
    assert.deepEqual(await provider(), { token: "t1", expiresOnTimestamp: NOW + 3_600_000 });
  }
  // expires_in wins (it does not depend on the clocks agreeing).
  const both = answering({ access_token: "t2", expires_in: "600", expires_on: NOW / 1000 + 3600 });
  assert.equal((await both.provider()).expiresOnTimestamp, NOW + 600_000);
  // An expires_on already past, or neither, is refused without quoting the body.
  for (const body of [{ access_token: "t3", expires_on: NOW / 1000 - 1 }, { access_token: "t3" }]) {
    const err = await answering(body).provider().catch((e) => e);
    assert.ok(err instanceof EntraTokenError);
    assert.equal(err.code, "invalid_token_response");
    assert.ok(!err.message.includes("t3"));
  }
});

Deno.test("entraClientCredentials(): a refusal's message names its AADSTS code also when the description does not, and never the secret", async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { error: "invalid_client", error_codes: [7000215] },
      /HTTP 401 invalid_client: AADSTS7000215 \(no description\)$/,
    ],
    [
      {
        error: "invalid_client",
        error_description: `Invalid client secret provided: ${SECRET}`,
        error_codes: [7000215],
      },
      /HTTP 401 invalid_client: AADSTS7000215: Invalid client secret provided: \*\*\*$/,
    ],
    [
      {
        error: "invalid_client",
        error_description: "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x",
        error_codes: [7000215],
      },
      /HTTP 401 invalid_client: AADSTS7000215: Invalid client secret provided\.$/,
    ],
  ];
  for (const [body, pattern] of cases) {
    const err = await answering(body, 401).provider().catch((e) => e);
    assert.ok(err instanceof EntraTokenError);
    assert.equal(err.aadsts, "AADSTS7000215");
    assert.match(err.message, pattern);
    assert.ok(!JSON.stringify(err).includes(SECRET) && !err.message.includes(SECRET));
  }
});

Deno.test("entraClientCredentials(): a refusal without error_codes names no AADSTS code", async () => {
  const err = await answering({ error: "invalid_client", error_description: "Wrong secret." }, 401)
    .provider().catch((e) => e);
  assert.ok(err instanceof EntraTokenError);
  assert.equal(err.aadsts, undefined);
  assert.match(err.message, /HTTP 401 invalid_client: Wrong secret\.$/);
});

Deno.test("entraClientCredentials(): a 200 that is not JSON, or whose access_token is no string, is an invalid_token_response", async () => {
  const bodies = [
    new Response("<html>signed in</html>"),
    { access_token: 12345, expires_in: 3600 },
    { access_token: "", expires_in: 3600 },
  ];
  for (const body of bodies) {
    const err = await answering(body).provider().catch((e) => e);
    assert.ok(err instanceof EntraTokenError, String(err));
    assert.equal(err.code, "invalid_token_response");
  }
});

Deno.test("entraClientCredentials(): an expires_in of 1 s is read; 0, negative or Infinity falls back to expires_on", async () => {
  const token = (body: Record<string, unknown>) =>
    answering({ access_token: "t", ...body }).provider();
  assert.equal((await token({ expires_in: 1 })).expiresOnTimestamp, NOW + 1_000);
  const expiresOn = NOW / 1000 + 3600;
  for (const expiresIn of [0, -5, "Infinity"]) {
    const read = await token({ expires_in: expiresIn, expires_on: expiresOn });
    assert.equal(read.expiresOnTimestamp, NOW + 3_600_000, String(expiresIn));
  }
});

Deno.test("entraClientCredentials(): an expires_on at the time asked, or Infinity, is refused", async () => {
  for (const expiresOn of [NOW / 1000, "Infinity"]) {
    const err = await answering({ access_token: "t", expires_on: expiresOn }).provider()
      .catch((e) => e);
    assert.ok(err instanceof EntraTokenError, String(expiresOn));
    assert.equal(err.code, "invalid_token_response");
  }
});

Deno.test("entraClientCredentials(): a token with 5 minutes or less left is not handed out again", async () => {
  for (const [expiresIn, requests] of [[300, 2], [300.001, 1], [301, 1]]) {
    const { provider, urls } = answering({ access_token: "t", expires_in: expiresIn });
    await provider();
    await provider();
    assert.equal(urls.length, requests, `expires_in ${expiresIn}`);
  }
});

Deno.test("entraClientCredentials(): an authority host with a trailing slash and a tenant given as a domain name make one well-formed token URL", async () => {
  for (
    const authorityHost of [
      "https://login.microsoftonline.us/",
      "https://login.microsoftonline.us//",
    ]
  ) {
    const { provider, urls } = answering({ access_token: "t", expires_in: 3599 }, 200, {
      authorityHost,
    });
    await provider();
    assert.deepEqual(urls, [
      "https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/token",
    ]);
  }
});

Deno.test("edgeConfigFromEnv(): an AZURE_AUTHORITY_HOST that is no URL (no scheme) says what it must be, not 'Invalid URL' with the value", () => {
  const credentials: Record<string, string>[] = [
    { AZURE_CLIENT_SECRET: SECRET },
    { AZURE_CLIENT_CERTIFICATE_PATH: "/nonexistent.pem" },
  ];
  for (const credential of credentials) {
    assert.throws(
      () =>
        edgeConfigFromEnv((name) =>
          ({
            AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
            AZURE_TENANT_ID: TENANT,
            AZURE_CLIENT_ID: CLIENT,
            AZURE_AUTHORITY_HOST: "login.microsoftonline-typo.com",
            AOAI_EDGE_KEYS: "entra-token-response-test-key",
            ...credential,
          } as Record<string, string>)[name]
        ),
      (err: Error) => {
        assert.match(err.message, /^AZURE_AUTHORITY_HOST must be an https URL such as/);
        assert.ok(!err.message.includes("typo"));
        assert.ok(!err.message.includes(SECRET));
        return true;
      },
    );
  }
});
