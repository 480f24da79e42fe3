import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { AuthenticationError } from "../../src/errors/api_error.ts";
import { TokenCache } from "../../src/auth/token_cache.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { entraClientCredentials, EntraTokenError } from "../../edge/mod.ts";

const TENANT = "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10";
const CLIENT = "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f";
const SECRET = "prov~Secret.Value-0123456789";
const ENTRA = { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET };

/** An emulator with Entra ID on a shared test clock, and the token requests it saw. */
function setup(clientSecret = SECRET) {
  const clock = { t: 1_700_000_000_000 };
  const emulator = createEmulator({ entra: ENTRA, now: () => clock.t });
  const tokenRequests: { url: string; type: string | null; form: URLSearchParams }[] = [];
  const fetch = async (input: Request, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.url.includes("/oauth2/")) {
      tokenRequests.push({
        url: request.url,
        type: request.headers.get("content-type"),
        form: new URLSearchParams(await request.clone().text()),
      });
    }
    return emulator.fetch(request);
  };
  const provider = entraClientCredentials({
    ...ENTRA,
    clientSecret,
    authorityHost: "http://localhost",
    fetch,
    now: () => clock.t,
  });
  return { clock, emulator, tokenRequests, fetch, provider };
}

function chat(client: AzureOpenAI) {
  return client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "hi" }],
  });
}

/** Every rendering of an error: none may hold a secret. */
function renderings(err: unknown): string[] {
  const e = err as Error;
  return [String(e), e.stack ?? "", JSON.stringify(e), Deno.inspect(e, { depth: 10 })];
}

Deno.test("entraClientCredentials() posts the client credentials form and the client sends the token as a bearer", async () => {
  const { emulator, tokenRequests, fetch, provider, clock } = setup();
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    tokenProvider: provider,
    fetch,
  });
  const completion = await chat(client);
  assert.equal(completion.choices[0].message.content, "You said: hi");
  assert.equal(emulator.log.at(-1)?.auth, "bearer");
  assert.equal(tokenRequests.length, 1);
  const [req] = tokenRequests;
  assert.equal(req.url, `http://localhost/${TENANT}/oauth2/v2.0/token`);
  assert.equal(req.type, "application/x-www-form-urlencoded");
  assert.deepEqual(Object.fromEntries(req.form), {
    grant_type: "client_credentials",
    client_id: CLIENT,
    client_secret: SECRET,
    scope: "https://cognitiveservices.azure.com/.default",
  });
  const token = await provider();
  assert.equal(token.expiresOnTimestamp, clock.t + 3599 * 1000);
});

Deno.test("entraClientCredentials() defaults to login.microsoftonline.com and reads expires_in given as a string", async () => {
  const seen: string[] = [];
  const provider = entraClientCredentials({
    tenantId: "contoso.onmicrosoft.com",
    clientId: CLIENT,
    clientSecret: SECRET,
    now: () => 1_000_000,
    fetch: (input) => {
      seen.push(input.url);
      return Promise.resolve(Response.json({
        token_type: "Bearer",
        expires_in: "3599",
        ext_expires_in: "3599",
        access_token: "opaque-token-value",
      }));
    },
  });
  assert.deepEqual(await provider(), {
    token: "opaque-token-value",
    expiresOnTimestamp: 1_000_000 + 3_599_000,
  });
  assert.deepEqual(seen, [
    "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
  ]);
});

Deno.test("entraClientCredentials(): concurrent calls of a client share one token request", async () => {
  const { tokenRequests, fetch, provider } = setup();
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    tokenProvider: provider,
    fetch,
  });
  const replies = await Promise.all(Array.from({ length: 8 }, () => chat(client)));
  assert.equal(replies.length, 8);
  assert.equal(tokenRequests.length, 1);
});

Deno.test("entraClientCredentials(): two clients (an edge app's upstreams) share one provider's token", async () => {
  const { tokenRequests, fetch, provider } = setup();
  const a = new AzureOpenAI({ endpoint: "http://a.local", tokenProvider: provider, fetch });
  const b = new AzureOpenAI({ endpoint: "http://b.local", tokenProvider: provider, fetch });
  await Promise.all([chat(a), chat(b)]);
  await chat(b);
  assert.equal(tokenRequests.length, 1);
});

Deno.test("entraClientCredentials() with the token cache: refreshed before expiry, and the old token stops working after it", async () => {
  const { clock, tokenRequests, emulator, provider } = setup();
  const cache = new TokenCache(provider, { now: () => clock.t });
  const first = await cache.get();
  assert.equal(tokenRequests.length, 1);
  clock.t += 3000 * 1000; // 10 minutes left: still the cached token, no request
  assert.equal(await cache.get(), first);
  assert.equal(tokenRequests.length, 1);
  clock.t += 550 * 1000; // 49 s left: inside the refresh margin → background refresh
  assert.equal(await cache.get(), first);
  await new Promise((resolve) => setTimeout(resolve, 0));
  for (let i = 0; i < 5 && tokenRequests.length < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  assert.equal(tokenRequests.length, 2);
  const second = await cache.get();
  assert.notEqual(second, first);
  clock.t += 60 * 1000; // the first token has expired
  const call = (token: string) =>
    emulator.fetch(
      "http://emulator.local/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
      {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
      },
    );
  const old = await call(first);
  assert.equal(old.status, 401);
  await old.body?.cancel();
  const fresh = await call(second);
  assert.equal(fresh.status, 200);
  await fresh.body?.cancel();
});

Deno.test("entraClientCredentials(): a wrong secret rejects with EntraTokenError naming tenant, status and AADSTS code, never the secret", async () => {
  const wrong = "wrong~Secret.Value-9876543210";
  const { provider, tokenRequests } = setup(wrong);
  const err = await provider().then(() => undefined, (e) => e);
  assert.ok(err instanceof EntraTokenError);
  assert.ok(err instanceof AuthenticationError);
  assert.equal(err.status, 401);
  assert.equal(err.code, "invalid_client");
  assert.equal(err.aadsts, "AADSTS7000215");
  assert.deepEqual(err.errorCodes, [7000215]);
  assert.equal(err.tenantId, TENANT);
  assert.match(err.traceId ?? "", /^[0-9a-f-]{36}$/);
  assert.match(err.correlationId ?? "", /^[0-9a-f-]{36}$/);
  assert.match(err.message, new RegExp(`tenant ${TENANT}`));
  assert.match(err.message, /HTTP 401 invalid_client: AADSTS7000215: Invalid client secret/);
  assert.doesNotMatch(err.message, /Trace ID/, "trace and correlation ids are fields");
  assert.equal(JSON.parse(JSON.stringify(err)).aadsts, "AADSTS7000215");
  for (const text of renderings(err)) {
    assert.ok(!text.includes(wrong) && !text.includes(SECRET), text);
  }
  assert.equal(tokenRequests.length, 1);
});

Deno.test("entraClientCredentials(): through the client, a wrong secret fails the call with no secret in any rendering", async () => {
  const wrong = "wrong~Secret.Value-9876543210";
  const { provider, fetch, emulator } = setup(wrong);
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    tokenProvider: provider,
    fetch,
  });
  const err = await chat(client).then(() => undefined, (e) => e);
  assert.ok(err instanceof AuthenticationError);
  assert.match(err.message, /AADSTS7000215/);
  for (const text of renderings(err)) assert.ok(!text.includes(wrong), text);
  assert.ok(!emulator.log.some((e) => e.path.includes("/openai/")), "nothing was sent upstream");
});

Deno.test("entraClientCredentials(): after a failure, calls for 5 s get the same error without a new request", async () => {
  const { clock, provider, tokenRequests } = setup("wrong~Secret.Value-9876543210");
  const first = await provider().then(() => undefined, (e) => e);
  const again = await Promise.all(
    [provider(), provider(), provider()].map((p) => p.then(() => undefined, (e) => e)),
  );
  assert.ok(again.every((e) => e === first));
  assert.equal(tokenRequests.length, 1);
  clock.t += 5_000;
  const later = await provider().then(() => undefined, (e) => e);
  assert.ok(later instanceof EntraTokenError && later !== first);
  assert.equal(tokenRequests.length, 2);
});

Deno.test("entraClientCredentials(): a 401 from the resource does not send every request to Entra ID", async () => {
  // A resource that refuses every token (e.g. the principal lacks a role on it).
  const { clock, provider, tokenRequests, fetch } = setup();
  let upstream = 0;
  const refusing = (input: Request, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.url.includes("/oauth2/")) return fetch(request);
    upstream++;
    return Promise.resolve(
      Response.json({ error: { code: "PermissionDenied", message: "no role" } }, { status: 401 }),
    );
  };
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    tokenProvider: provider,
    fetch: refusing,
    maxRetries: 0,
  });
  for (let i = 0; i < 4; i++) await assert.rejects(chat(client), AuthenticationError);
  assert.equal(upstream, 4, "the same token is not resent after the 401");
  assert.equal(tokenRequests.length, 1);
  clock.t += 30_000;
  await assert.rejects(chat(client), AuthenticationError);
  assert.equal(tokenRequests.length, 2, "a fresh token once the reuse window passed");
});

Deno.test("entraClientCredentials(): text echoed by the token endpoint is scrubbed of the secret", async () => {
  const provider = entraClientCredentials({
    ...ENTRA,
    fetch: async (input) => {
      const form = new URLSearchParams(await input.text());
      return Response.json({
        error: "invalid_request",
        error_description: `AADSTS900144: echo ${form.get("client_secret")} and ${
          encodeURIComponent(form.get("client_secret")!)
        }`,
        error_codes: [900144],
      }, { status: 400 });
    },
  });
  const err = await provider().then(() => undefined, (e) => e);
  assert.ok(err instanceof EntraTokenError);
  assert.match(err.message, /echo \*\*\* and \*\*\*/);
  for (const text of renderings(err)) assert.ok(!text.includes(SECRET), text);
});

Deno.test("entraClientCredentials(): a 200 without a token, a non-Entra error page, a network error and a timeout are typed errors without the body", async () => {
  const cases: [typeof fetch, RegExp, string][] = [
    [
      () =>
        Promise.resolve(Response.json({ access_token: "tok-secret-value", token_type: "Bearer" })),
      /without an access_token and a positive expires_in/,
      "invalid_token_response",
    ],
    [
      () => Promise.resolve(new Response("<html>Bad gateway</html>", { status: 502 })),
      /answered HTTP 502 without an Entra ID error body/,
      undefined as unknown as string,
    ],
    [
      () => Promise.reject(new TypeError(`connection refused while sending ${SECRET}`)),
      /could not reach https:\/\/login\.microsoftonline\.com \(connection refused while sending \*\*\*\)/,
      "connection_error",
    ],
    [
      // A fetch (a binding, a library) that rejects with a string, not an Error.
      () => Promise.reject(`socket hang up after ${SECRET}`),
      /could not reach https:\/\/login\.microsoftonline\.com \(socket hang up after \*\*\*\)/,
      "connection_error",
    ],
  ];
  for (const [fetch, message, code] of cases) {
    const provider = entraClientCredentials({ ...ENTRA, fetch });
    const err = await provider().then(() => undefined, (e) => e);
    assert.ok(err instanceof EntraTokenError, String(err));
    assert.match(err.message, message);
    assert.equal(err.code, code);
    for (const text of renderings(err)) {
      assert.ok(!text.includes(SECRET) && !text.includes("tok-secret-value"), text);
    }
  }
  const hanging = entraClientCredentials({
    ...ENTRA,
    timeoutMs: 1,
    fetch: (input) =>
      new Promise((_, reject) =>
        input.signal.addEventListener("abort", () => reject(input.signal.reason))
      ),
  });
  const err = await hanging().then(() => undefined, (e) => e);
  assert.ok(err instanceof EntraTokenError);
  assert.equal(err.code, "timeout");
  assert.match(err.message, /did not answer within 1 ms/);
});

Deno.test("entraClientCredentials() checks its options up front, saying what to fix and quoting no value", () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ tenantId: "" }, /tenantId must be the directory \(tenant\) id: a GUID .* it is empty/],
    [{ tenantId: "common" }, /tenantId must be .* this is neither/],
    [{ tenantId: SECRET }, /tenantId must be/],
    [{ clientId: "my-app" }, /clientId must be the application \(client\) id .* not a GUID/],
    [{ clientId: "  " }, /clientId .* it is empty/],
    [{ clientSecret: "" }, /clientSecret must be the client secret's value .* it is empty/],
    [{ clientSecret: "a\nb" }, /clientSecret holds a line break/],
    [{ authorityHost: "http://login.example.com" }, /authorityHost must be an https URL/],
    [{ authorityHost: "not a url" }, /authorityHost must be an https URL/],
    // Each of a query, a fragment, a user and a password alone is refused.
    [{ authorityHost: "https://login.example.com/?tenant=x" }, /without query or credentials/],
    [{ authorityHost: "https://login.example.com/#x" }, /without query or credentials/],
    [{ authorityHost: `https://${SECRET}@login.example.com` }, /without query or credentials/],
    [{ authorityHost: `https://:${SECRET}@login.example.com` }, /without query or credentials/],
    // A tenant that is no string (a config read from JSON): said, not a crash in .trim().
    [{ tenantId: 72 }, /tenantId must be the directory \(tenant\) id: .* it is empty/],
    [
      { scope: "https://cognitiveservices.azure.com/user_impersonation" },
      /scope must be .*\/\.default/,
    ],
    [{ timeoutMs: 0 }, /timeoutMs must be a positive number/],
  ];
  for (const [override, message] of bad) {
    assert.throws(
      () => entraClientCredentials({ ...ENTRA, ...override } as typeof ENTRA),
      (err: Error) => {
        assert.ok(err instanceof TypeError);
        assert.match(err.message, message);
        assert.match(err.message, /^entraClientCredentials\(\): /);
        assert.ok(!err.message.includes(SECRET), err.message);
        return true;
      },
    );
  }
  // Sovereign clouds, a domain tenant and a local emulator are fine.
  entraClientCredentials({ ...ENTRA, authorityHost: "https://login.microsoftonline.us/" });
  entraClientCredentials({ ...ENTRA, tenantId: "contoso.onmicrosoft.com" });
  entraClientCredentials({ ...ENTRA, authorityHost: "http://127.0.0.1:8788" });
});
