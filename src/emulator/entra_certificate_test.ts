import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";

const TENANT = "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10";
const CLIENT = "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f";
const SCOPE = "https://cognitiveservices.azure.com/.default";
const TOKEN_URL = `http://login.local/${TENANT}/oauth2/v2.0/token`;
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/entra/${name}`, import.meta.url));
const CLIENT_PEM = fixture("client.pem");
const OTHER_PEM = fixture("other.pem");
const NOW = 1_700_000_000_000;

function der(pem: string, label: string): Uint8Array<ArrayBuffer> {
  const body = new RegExp(`-----BEGIN ${label}-----([^-]*)-----END ${label}-----`).exec(pem)![1];
  return Uint8Array.from(atob(body.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
}
const b64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
const json = (value: unknown) => b64url(new TextEncoder().encode(JSON.stringify(value)));

/** A client assertion signed with the key of `keyPem`, naming the certificate of `certPem`. */
async function assertion(
  options: {
    keyPem?: string;
    certPem?: string;
    alg?: "PS256" | "RS256";
    header?: Record<string, unknown>;
    claims?: Record<string, unknown>;
  } = {},
): Promise<string> {
  const alg = options.alg ?? "PS256";
  const pss = alg === "PS256";
  const cert = der(options.certPem ?? CLIENT_PEM, "CERTIFICATE");
  const params = { name: pss ? "RSA-PSS" : "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const key = await crypto.subtle.importKey(
    "pkcs8",
    der(options.keyPem ?? CLIENT_PEM, "PRIVATE KEY"),
    params,
    false,
    ["sign"],
  );
  const header = {
    alg,
    typ: "JWT",
    [pss ? "x5t#S256" : "x5t"]: b64url(await crypto.subtle.digest(pss ? "SHA-256" : "SHA-1", cert)),
    ...options.header,
  };
  const s = Math.floor(NOW / 1000);
  const claims = {
    aud: TOKEN_URL,
    iss: CLIENT,
    sub: CLIENT,
    jti: crypto.randomUUID(),
    nbf: s,
    iat: s,
    exp: s + 300,
    ...options.claims,
  };
  const body = `${json(header)}.${json(claims)}`;
  const signature = await crypto.subtle.sign(
    pss ? { name: "RSA-PSS", saltLength: 32 } : params,
    key,
    new TextEncoder().encode(body),
  );
  return `${body}.${b64url(signature)}`;
}

function setup(certificates = [CLIENT_PEM], clock = { t: NOW }) {
  return createEmulator({
    entra: { tenantId: TENANT, clientId: CLIENT, certificates },
    now: () => clock.t,
  });
}

async function token(
  emulator: ReturnType<typeof setup>,
  fields: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await emulator.fetch(TOKEN_URL, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: CLIENT,
      scope: SCOPE,
      client_assertion_type: JWT_BEARER,
      ...fields,
    }),
  });
  return { status: res.status, body: await res.json() };
}

Deno.test("emulator Entra: a PS256 assertion (x5t#S256) or an RS256 one (x5t) signed by a registered certificate gets a token the routes accept", async () => {
  for (const alg of ["PS256", "RS256"] as const) {
    const emulator = setup([OTHER_PEM, CLIENT_PEM]);
    const { status, body } = await token(emulator, {
      client_assertion: await assertion({ alg }),
    });
    assert.equal(status, 200, alg);
    assert.equal(body.token_type, "Bearer");
    const chat = await emulator.fetch(
      "http://emulator.local/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${body.access_token}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
      },
    );
    assert.equal(chat.status, 200, alg);
    await chat.body?.cancel();
  }
});

Deno.test("emulator Entra: refuses assertions with Entra's codes (wrong key, unknown certificate, claims, time range, malformed)", async () => {
  const cases: [string, Promise<Record<string, string>>, number, string][] = [
    // Signed by another key while naming the registered certificate.
    [
      "wrong key",
      assertion({ keyPem: OTHER_PEM }).then((a) => ({ client_assertion: a })),
      700027,
      "signature validation",
    ],
    [
      "unknown certificate",
      assertion({ keyPem: OTHER_PEM, certPem: OTHER_PEM }).then((a) => ({ client_assertion: a })),
      700027,
      "not registered",
    ],
    [
      "other alg",
      assertion({ header: { alg: "HS256" } }).then((a) => ({ client_assertion: a })),
      700027,
      "HS256",
    ],
    [
      "iss",
      assertion({ claims: { iss: "someone-else" } }).then((a) => ({ client_assertion: a })),
      700021,
      "client_id",
    ],
    [
      "sub",
      assertion({ claims: { sub: "someone-else" } }).then((a) => ({ client_assertion: a })),
      700021,
      "client_id",
    ],
    [
      "aud",
      assertion({ claims: { aud: "https://login.microsoftonline.com/x/oauth2/v2.0/token" } }).then((
        a,
      ) => ({ client_assertion: a })),
      700023,
      "audience",
    ],
    [
      "expired",
      assertion({ claims: { exp: NOW / 1000 - 1 } }).then((a) => ({ client_assertion: a })),
      700024,
      "valid time range",
    ],
    [
      "exp now",
      assertion({ claims: { exp: NOW / 1000 } }).then((a) => ({ client_assertion: a })),
      700024,
      "valid time range",
    ],
    [
      "no exp",
      assertion({ claims: { exp: undefined } }).then((a) => ({ client_assertion: a })),
      700024,
      "valid time range",
    ],
    [
      "not yet",
      assertion({ claims: { nbf: NOW / 1000 + 1 } }).then((a) => ({ client_assertion: a })),
      700024,
      "valid time range",
    ],
    ["malformed", Promise.resolve({ client_assertion: "not.a-jwt" }), 50027, "malformed"],
    ["empty", Promise.resolve({ client_assertion: "" }), 50027, "malformed"],
  ];
  for (const [name, fields, code, text] of cases) {
    const { status, body } = await token(setup(), await fields);
    assert.equal(status, 401, name);
    assert.equal(body.error, "invalid_client", name);
    assert.deepEqual(body.error_codes, [code], name);
    assert.match(String(body.error_description), new RegExp(`^AADSTS${code}: .*${text}`), name);
  }
  // The signature covers header and claims: a claim changed after signing fails it.
  const good = (await assertion()).split(".");
  const tampered = [good[0], json({ aud: TOKEN_URL, iss: CLIENT, sub: CLIENT, exp: 2e9 }), good[2]];
  const { body } = await token(setup(), { client_assertion: tampered.join(".") });
  assert.deepEqual(body.error_codes, [700027]);
  // No certificates registered: the key is not found.
  const secretOnly = createEmulator({
    entra: { tenantId: TENANT, clientId: CLIENT, clientSecret: "a-secret-value" },
    now: () => NOW,
  });
  const refused = await token(secretOnly, { client_assertion: await assertion() });
  assert.deepEqual(refused.body.error_codes, [700027]);
});

Deno.test("emulator Entra: client_assertion_type must be the jwt-bearer type; a secret does not sign in with certificates only", async () => {
  const emulator = setup();
  const client_assertion = await assertion();
  const other = await token(emulator, { client_assertion, client_assertion_type: "jwt" });
  assert.equal(other.status, 400);
  assert.deepEqual(other.body.error_codes, [900144]);
  const res = await emulator.fetch(TOKEN_URL, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: CLIENT,
      scope: SCOPE,
      client_secret: "guess",
    }),
  });
  assert.equal(res.status, 401);
  assert.deepEqual((await res.json()).error_codes, [7000215]);
});

Deno.test("emulator Entra: the assertion's time range is read by the emulator's clock, to the second", async () => {
  const clock = { t: NOW };
  const emulator = setup([CLIENT_PEM], clock);
  const client_assertion = await assertion(); // exp = NOW + 300 s
  clock.t = NOW + 299_999;
  assert.equal((await token(emulator, { client_assertion })).status, 200);
  clock.t = NOW + 300_000;
  assert.deepEqual((await token(emulator, { client_assertion })).body.error_codes, [700024]);
});

Deno.test("createEmulator(): entra.certificates must be PEM certificates; clientSecret may then be left out", () => {
  for (const certificates of [["nope"], [fixture("client.pub.pem")], "x" as unknown as string[]]) {
    assert.throws(
      () => createEmulator({ entra: { tenantId: TENANT, clientId: CLIENT, certificates } }),
      /options\.entra\.certificates/,
    );
  }
  const damaged = CLIENT_PEM.replace(/(BEGIN CERTIFICATE-----\s+)\S{8}/, "$1AAAAAAAA");
  assert.throws(
    () =>
      createEmulator({ entra: { tenantId: TENANT, clientId: CLIENT, certificates: [damaged] } }),
    /certificates\[0\] must be a PEM certificate/,
  );
  assert.throws(
    () => createEmulator({ entra: { tenantId: TENANT, clientId: CLIENT } }),
    /clientSecret must be a non-empty string \(or give certificates instead\)/,
  );
  createEmulator({ entra: { tenantId: TENANT, clientId: CLIENT, certificates: [CLIENT_PEM] } });
});

Deno.test("emulator Entra: an assertion that is not compact JWS in base64url without padding is malformed (AADSTS50027), even with a good signature", async () => {
  const key = await crypto.subtle.importKey(
    "pkcs8",
    der(CLIENT_PEM, "PRIVATE KEY"),
    { name: "RSA-PSS", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const good = (await assertion()).split(".");
  const [header, claims] = good.slice(0, 2).map((part) =>
    atob(part.replace(/-/g, "+").replace(/_/g, "/"))
  );
  /** Header and claims encoded by `encode`, signed over that text, the signature too. */
  const signedAs = async (encode: (binary: string) => string) => {
    const body = `${encode(header)}.${encode(claims)}`;
    const signature = await crypto.subtle.sign(
      { name: "RSA-PSS", saltLength: 32 },
      key,
      new TextEncoder().encode(body),
    );
    return `${body}.${encode(String.fromCharCode(...new Uint8Array(signature)))}`;
  };
  const cases: [string, string][] = [
    ["base64 with padding", await signedAs((b) => btoa(b))],
    [
      "base64url with padding",
      await signedAs((b) => btoa(b).replace(/\+/g, "-").replace(/\//g, "_")),
    ],
    ["a space in the signature", `${good[0]}.${good[1]}. ${good[2]}`],
    [
      "a line break in the signature",
      `${good[0]}.${good[1]}.${good[2].slice(0, 8)}\n${good[2].slice(8)}`,
    ],
  ];
  for (const [name, client_assertion] of cases) {
    const { status, body } = await token(setup(), { client_assertion });
    assert.equal(status, 401, name);
    assert.deepEqual(body.error_codes, [50027], name);
  }
  // alg none with no signature: refused like any algorithm but PS256 and RS256.
  const none = `${json({ alg: "none", typ: "JWT" })}.${good[1]}.`;
  assert.deepEqual((await token(setup(), { client_assertion: none })).body.error_codes, [700027]);
  // An assertion sent again within its lifetime is taken, as Entra takes it (MSAL reuses its
  // assertion until it expires).
  const emulator = setup();
  const again = good.join(".");
  assert.equal((await token(emulator, { client_assertion: again })).status, 200);
  assert.equal((await token(emulator, { client_assertion: again })).status, 200);
});
