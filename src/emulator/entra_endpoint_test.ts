import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";

const TENANT = "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10";
const CLIENT = "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f";
const SECRET = "emu~Secret.Value-0123456789";
const SCOPE = "https://cognitiveservices.azure.com/.default";
const CHAT = "http://emulator.local/openai/deployments/gpt-4o/chat/completions" +
  "?api-version=2024-10-21";

function setup(now = { t: 1_700_000_000_000 }) {
  const emulator = createEmulator({
    entra: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET },
    now: () => now.t,
  });
  return { emulator, now };
}

function tokenRequest(
  fields: Record<string, string>,
  tenant = TENANT,
  init: RequestInit = {},
): Request {
  return new Request(`http://login.local/${tenant}/oauth2/v2.0/token`, {
    method: "POST",
    body: new URLSearchParams(fields),
    ...init,
  });
}

const GOOD = {
  grant_type: "client_credentials",
  client_id: CLIENT,
  client_secret: SECRET,
  scope: SCOPE,
};

function chat(token: string): Request {
  return new Request(CHAT, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
  });
}

Deno.test("emulator entra: the token endpoint issues a Bearer token the OpenAI routes accept until it expires", async () => {
  const { emulator, now } = setup();
  const res = await emulator.fetch(tokenRequest(GOOD));
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.deepEqual(Object.keys(body).sort(), [
    "access_token",
    "expires_in",
    "ext_expires_in",
    "token_type",
  ]);
  assert.equal(body.token_type, "Bearer");
  assert.equal(body.expires_in, 3599);
  assert.equal(body.ext_expires_in, 3599);
  // JWT-shaped, with Entra's claims for an app token.
  const claims = JSON.parse(
    atob(body.access_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")),
  );
  assert.equal(claims.aud, "https://cognitiveservices.azure.com");
  assert.equal(claims.tid, TENANT);
  assert.equal(claims.appid, CLIENT);
  assert.equal(claims.exp, Math.floor(now.t / 1000) + 3599);

  const ok = await emulator.fetch(chat(body.access_token));
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  assert.equal(emulator.log.at(-1)?.auth, "bearer");

  now.t += 3599 * 1000 - 1;
  const last = await emulator.fetch(chat(body.access_token));
  assert.equal(last.status, 200, "valid until its last millisecond");
  await last.body?.cancel();
  now.t += 1;
  const expired = await emulator.fetch(chat(body.access_token));
  assert.equal(expired.status, 401);
  assert.match((await expired.json()).error.message, /expired/);
});

Deno.test("emulator entra: a token it did not issue, or one after reset(), is refused", async () => {
  const { emulator } = setup();
  const refused = await emulator.fetch(chat("eyJ0eXAiOiJKV1QifQ.e30.forged"));
  assert.equal(refused.status, 401);
  await refused.body?.cancel();
  const { access_token } = await (await emulator.fetch(tokenRequest(GOOD))).json();
  emulator.reset();
  const after = await emulator.fetch(chat(access_token));
  assert.equal(after.status, 401);
  await after.body?.cancel();
  // Api keys still work next to Entra ID.
  const keyed = await emulator.fetch(CHAT, {
    method: "POST",
    headers: { "api-key": emulator.apiKey, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
  });
  assert.equal(keyed.status, 200);
  await keyed.body?.cancel();
});

Deno.test("emulator entra: a tenant given in another letter case and tokenLifetimeSeconds are honoured", async () => {
  const emulator = createEmulator({
    entra: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, tokenLifetimeSeconds: 60 },
  });
  const res = await emulator.fetch(tokenRequest(GOOD, TENANT.toUpperCase()));
  assert.equal(res.status, 200);
  assert.equal((await res.json()).expires_in, 60);
});

async function entraError(res: Response) {
  const body = await res.json();
  assert.deepEqual(Object.keys(body).sort(), [
    "correlation_id",
    "error",
    "error_codes",
    "error_description",
    "error_uri",
    "timestamp",
    "trace_id",
  ]);
  assert.match(body.timestamp, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  assert.match(body.error_description, new RegExp(`^AADSTS${body.error_codes[0]}: `));
  assert.ok(body.error_description.includes(`Trace ID: ${body.trace_id}`));
  assert.ok(body.error_description.includes(`Correlation ID: ${body.correlation_id}`));
  return { status: res.status, ...body };
}

Deno.test("emulator entra: failures answer Entra's error body with the AADSTS code of each case", async () => {
  const { emulator } = setup();
  const cases: [Request, number, string, number][] = [
    [
      tokenRequest({ ...GOOD, client_secret: "wrong-secret-value" }),
      401,
      "invalid_client",
      7000215,
    ],
    [tokenRequest({ ...GOOD, client_secret: "" }), 401, "invalid_client", 7000218],
    [
      tokenRequest({ ...GOOD, client_id: "00000000-0000-4000-8000-000000000000" }),
      400,
      "unauthorized_client",
      700016,
    ],
    [tokenRequest(GOOD, "contoso.onmicrosoft.com"), 400, "invalid_tenant", 90002],
    [tokenRequest({ ...GOOD, grant_type: "password" }), 400, "unsupported_grant_type", 70003],
    [
      tokenRequest({ ...GOOD, scope: "https://cognitiveservices.azure.com/user_impersonation" }),
      400,
      "invalid_scope",
      1002012,
    ],
    [
      tokenRequest({ ...GOOD, scope: "https://graph.microsoft.com/.default" }),
      400,
      "invalid_resource",
      500011,
    ],
    [tokenRequest({ client_id: CLIENT, scope: SCOPE }), 400, "invalid_request", 900144],
    [
      new Request(`http://login.local/${TENANT}/oauth2/v2.0/token`),
      400,
      "invalid_request",
      900561,
    ],
  ];
  for (const [request, status, error, code] of cases) {
    const body = await entraError(await emulator.fetch(request));
    assert.deepEqual([body.status, body.error, body.error_codes], [status, error, [code]]);
    assert.ok(!body.error_description.includes(SECRET), "the secret is never echoed");
  }
  const wrong = await entraError(
    await emulator.fetch(tokenRequest({ ...GOOD, client_secret: "x" })),
  );
  assert.match(wrong.error_description, new RegExp(`app '${CLIENT}'`));
  const tenant = await entraError(await emulator.fetch(tokenRequest(GOOD, "contoso.com")));
  assert.match(tenant.error_description, /Tenant 'contoso\.com' not found/);
});

Deno.test("emulator entra: without options.entra there is no token endpoint", async () => {
  const res = await createEmulator().fetch(tokenRequest(GOOD));
  assert.equal(res.status, 404);
  await res.body?.cancel();
});

Deno.test("emulator entra: options.entra is checked, naming the field", () => {
  assert.throws(
    () => createEmulator({ entra: { tenantId: TENANT, clientId: CLIENT, clientSecret: "" } }),
    /options\.entra\.clientSecret must be a non-empty string/,
  );
  assert.throws(
    () =>
      createEmulator({
        entra: {
          tenantId: TENANT,
          clientId: CLIENT,
          clientSecret: SECRET,
          tokenLifetimeSeconds: 0,
        },
      }),
    /options\.entra\.tokenLifetimeSeconds/,
  );
});

Deno.test("emulator entra: the request log never holds the form body or a bearer token", async () => {
  const { emulator } = setup();
  const { access_token } = await (await emulator.fetch(tokenRequest(GOOD))).json();
  const res = await emulator.fetch(chat(access_token));
  await res.body?.cancel();
  const log = JSON.stringify(emulator.log);
  assert.ok(!log.includes(SECRET) && !log.includes(access_token));
});

Deno.test("emulator entra: a tenant given as one of tenantDomains (any case) is the directory; another domain is not", async () => {
  const emulator = createEmulator({
    entra: {
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: SECRET,
      tenantDomains: ["contoso.onmicrosoft.com"],
    },
  });
  const ok = await emulator.fetch(tokenRequest(GOOD, "Contoso.onmicrosoft.com"));
  assert.equal(ok.status, 200);
  const { access_token } = await ok.json();
  const answered = await emulator.fetch(chat(access_token));
  assert.equal(answered.status, 200);
  await answered.body?.cancel();
  const other = await emulator.fetch(tokenRequest(GOOD, "fabrikam.onmicrosoft.com"));
  assert.equal(other.status, 400);
  assert.equal((await other.json()).error, "invalid_tenant");
  assert.throws(
    () =>
      createEmulator({
        entra: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, tenantDomains: [""] },
      }),
    /options\.entra\.tenantDomains must be an array of domain names/,
  );
});

Deno.test("emulator entra: tenantId, clientId and tenantDomains are trimmed as entraClientCredentials trims what it sends", async () => {
  const emulator = createEmulator({
    entra: {
      tenantId: ` ${TENANT}\n`,
      clientId: `${CLIENT} `,
      clientSecret: SECRET,
      tenantDomains: [" contoso.onmicrosoft.com\t"],
    },
  });
  for (const tenant of [TENANT, "contoso.onmicrosoft.com"]) {
    const res = await emulator.fetch(tokenRequest(GOOD, tenant));
    assert.equal(res.status, 200, tenant);
    const { access_token } = await res.json();
    const claims = JSON.parse(
      atob(access_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")),
    );
    assert.deepEqual([claims.tid, claims.appid], [TENANT, CLIENT]);
    assert.equal(claims.iss, `https://sts.windows.net/${TENANT}/`);
  }
});

Deno.test("emulator entra: a blank or malformed tenantId or tenantDomains entry is a TypeError naming it", () => {
  const entra = { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET };
  const cases: [Partial<typeof entra> & { tenantDomains?: string[] }, RegExp][] = [
    [{ tenantId: "  " }, /options\.entra\.tenantId must be a non-empty string/],
    [{ tenantId: "common" }, /options\.entra\.tenantId must be the directory \(tenant\) id/],
    [{ tenantDomains: ["  "] }, /options\.entra\.tenantDomains must be .*; entry 0 is empty/],
    [
      { tenantDomains: ["contoso.onmicrosoft.com", "not a domain"] },
      /options\.entra\.tenantDomains must be .*; entry 1 is not one/,
    ],
  ];
  for (const [change, message] of cases) {
    assert.throws(() => createEmulator({ entra: { ...entra, ...change } }), TypeError);
    assert.throws(() => createEmulator({ entra: { ...entra, ...change } }), message);
  }
});
