import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { createEdgeApp } from "../../edge/app.ts";
import { entraClientCertificate, EntraTokenError } from "../../edge/mod.ts";

const TENANT = "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10";
const CLIENT = "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f";
const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../fixtures/entra/${name}`, import.meta.url));
const CLIENT_PEM = fixture("client.pem");
const OTHER_PEM = fixture("other.pem");
const KEY_BODY = /-----BEGIN PRIVATE KEY-----([^-]*)-----END/.exec(CLIENT_PEM)![1].trim();
const pemOf = (text: string, label: string) =>
  new RegExp(`-----BEGIN ${label}-----[^-]*-----END ${label}-----\\n?`).exec(text)![0];
const KEY = pemOf(CLIENT_PEM, "PRIVATE KEY");
/** The client's sign-in settings against the emulator at http://localhost (its key and certificate in one PEM). */
const SIGN_IN = {
  tenantId: TENANT,
  clientId: CLIENT,
  privateKey: CLIENT_PEM,
  certificate: CLIENT_PEM,
  authorityHost: "http://localhost",
};
const CERT = pemOf(CLIENT_PEM, "CERTIFICATE");

/** An emulator that knows `registered` on a shared clock, and the token requests it saw. */
function setup(registered = [CLIENT_PEM]) {
  const clock = { t: 1_800_000_000_000 }; // 2027: client.pem is valid from 2026-12-01
  const emulator = createEmulator({
    entra: { tenantId: TENANT, clientId: CLIENT, certificates: registered },
    now: () => clock.t,
  });
  const forms: URLSearchParams[] = [];
  const fetch = async (input: Request, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.url.includes("/oauth2/")) {
      forms.push(new URLSearchParams(await request.clone().text()));
    }
    return emulator.fetch(request);
  };
  return { clock, emulator, forms, fetch };
}

function decode(part: string) {
  return JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/")));
}

/** Every rendering of an error: none may hold key material or an assertion. */
function renderings(err: unknown): string {
  const e = err as Error;
  return [String(e), e.stack ?? "", JSON.stringify(e), Deno.inspect(e, { depth: 10 })].join("\n");
}

function assertNoKey(text: string, assertions: string[] = []) {
  // Any 40 characters of the key's base64 would be a leak.
  for (let i = 0; i + 40 < KEY_BODY.length; i += 40) {
    assert.ok(!text.includes(KEY_BODY.slice(i, i + 40).replace(/\s/g, "")), "key material");
  }
  for (const a of assertions) {
    assert.ok(!text.includes(a.split(".")[2]), "an assertion's signature");
    assert.ok(!text.includes(a.split(".")[1]), "an assertion's claims");
  }
}

Deno.test("entraClientCertificate(): posts a signed PS256 assertion naming the certificate by x5t#S256, and the client calls with the token", async () => {
  const { fetch, forms, emulator, clock } = setup();
  const provider = entraClientCertificate({
    ...SIGN_IN,
    fetch,
    now: () => clock.t,
  });
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    tokenProvider: provider,
    fetch,
  });
  const completion = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "hi" }],
  });
  assert.equal(completion.choices[0].message.content, "You said: hi");
  assert.equal(emulator.log.at(-1)?.auth, "bearer");
  assert.equal(forms.length, 1);
  const form = forms[0];
  assert.deepEqual([...form.keys()].sort(), [
    "client_assertion",
    "client_assertion_type",
    "client_id",
    "grant_type",
    "scope",
  ]);
  assert.equal(
    form.get("client_assertion_type"),
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
  );
  assert.equal(form.get("grant_type"), "client_credentials");
  const [header, claims] = form.get("client_assertion")!.split(".").map((p, i) =>
    i < 2 ? decode(p) : p
  );
  // openssl x509 -in client.pem -outform DER | openssl dgst -sha256 -binary | base64url
  assert.deepEqual(header, {
    alg: "PS256",
    typ: "JWT",
    "x5t#S256": "5naxhLUF0eyZOr2uK11bpHXtg2037X1Lc8eHrxjrvJ8",
  });
  const s = clock.t / 1000;
  assert.equal(claims.aud, `http://localhost/${TENANT}/oauth2/v2.0/token`);
  assert.equal(claims.iss, CLIENT);
  assert.equal(claims.sub, CLIENT);
  assert.match(claims.jti, /^[0-9a-f-]{36}$/);
  assert.deepEqual([claims.nbf, claims.iat, claims.exp], [s, s, s + 300]);
});

Deno.test("entraClientCertificate(): algorithm RS256 sends the SHA-1 thumbprint as x5t; separate key and certificate PEMs work; each request gets a new assertion", async () => {
  const { fetch, forms, clock } = setup();
  const provider = entraClientCertificate({
    tenantId: TENANT,
    clientId: CLIENT,
    privateKey: KEY,
    certificate: CERT,
    algorithm: "RS256",
    authorityHost: "http://localhost",
    fetch,
    now: () => clock.t,
  });
  await provider();
  clock.t += 3_600_000; // the token is no longer reused
  await provider();
  assert.equal(forms.length, 2);
  const [a, b] = forms.map((f) => f.get("client_assertion")!);
  assert.deepEqual(decode(a.split(".")[0]), {
    alg: "RS256",
    typ: "JWT",
    x5t: "C1mwbElJ-I5RmPmyurVwjAenPIg",
  });
  assert.notEqual(decode(a.split(".")[1]).jti, decode(b.split(".")[1]).jti);
});

Deno.test("entraClientCertificate(): a certificate Entra does not know, or a key that is not the certificate's, is an EntraTokenError without key or assertion", async () => {
  // The app's certificate is not the one registered: AADSTS700027 from the token endpoint.
  {
    const { fetch, forms, clock } = setup([OTHER_PEM]);
    const provider = entraClientCertificate({
      tenantId: TENANT,
      clientId: CLIENT,
      privateKey: CLIENT_PEM,
      certificate: CLIENT_PEM,
      authorityHost: "http://localhost",
      fetch,
      now: () => clock.t,
    });
    const err = await provider().then(() => undefined, (e) => e);
    assert.ok(err instanceof EntraTokenError);
    assert.equal(err.status, 401);
    assert.equal(err.aadsts, "AADSTS700027");
    assert.match(err.message, /not registered on application/);
    assertNoKey(renderings(err), forms.map((f) => f.get("client_assertion")!));
  }
  // The key of another pair: found before any request is sent.
  {
    const { fetch, forms, clock } = setup();
    const provider = entraClientCertificate({
      tenantId: TENANT,
      clientId: CLIENT,
      privateKey: OTHER_PEM,
      certificate: CLIENT_PEM,
      authorityHost: "http://localhost",
      fetch,
      now: () => clock.t,
    });
    const err = await provider().then(() => undefined, (e) => e);
    assert.ok(err instanceof EntraTokenError);
    assert.equal(err.code, "invalid_credential");
    assert.match(
      err.message,
      /privateKey is not the private key of the certificate in .*certificate/,
    );
    assert.equal(forms.length, 0);
    assertNoKey(renderings(err));
    assert.ok(
      !renderings(err).includes(
        /-----BEGIN PRIVATE KEY-----([^-]*)/.exec(OTHER_PEM)![1].trim().slice(0, 40),
      ),
    );
  }
});

Deno.test("entraClientCertificate(): an assertion Entra finds expired (a host clock that is behind) is an EntraTokenError with AADSTS700024", async () => {
  const { fetch, forms, clock } = setup();
  const provider = entraClientCertificate({
    ...SIGN_IN,
    fetch,
    now: () => clock.t - 600_000, // ten minutes behind the token endpoint
  });
  const err = await provider().then(() => undefined, (e) => e);
  assert.ok(err instanceof EntraTokenError);
  assert.equal(err.aadsts, "AADSTS700024");
  assert.match(err.message, /not within its valid time range/);
  assertNoKey(renderings(err), forms.map((f) => f.get("client_assertion")!));
});

Deno.test("entraClientCertificate(): an endpoint that echoes the request gets the assertion masked in the error", async () => {
  let sent = "";
  const provider = entraClientCertificate({
    ...SIGN_IN,
    fetch: async (request) => {
      sent = new URLSearchParams(await request.text()).get("client_assertion")!;
      return Response.json({
        error: "invalid_request",
        error_description: `AADSTS900144: echo ${sent} and ${encodeURIComponent(sent)}`,
        error_codes: [900144],
      }, { status: 400 });
    },
  });
  const err = await provider().then(() => undefined, (e) => e);
  assert.ok(err instanceof EntraTokenError);
  assert.ok(sent.length > 100);
  assertNoKey(renderings(err), [sent]);
  assert.match(err.message, /echo \*\*\* and \*\*\*/);
});

Deno.test("entraClientCertificate(): checks the key and the certificate up front, saying what to fix and quoting none of it", () => {
  const base = {
    tenantId: TENANT,
    clientId: CLIENT,
    privateKey: CLIENT_PEM,
    certificate: CLIENT_PEM,
  };
  const pkcs1 = fixture("client_pkcs1.key");
  const damaged = CLIENT_PEM.replace(/(BEGIN PRIVATE KEY-----\s+\S{20})\S/, "$1!");
  const cases: [Partial<typeof base> & { algorithm?: string }, RegExp][] = [
    [
      { privateKey: pkcs1 },
      /privateKey holds a PKCS#1 key \(BEGIN RSA PRIVATE KEY\).*openssl pkcs8 -topk8 -nocrypt -in key\.pem -out key-pkcs8\.pem/,
    ],
    [{
      privateKey:
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----",
    }, /privateKey holds an encrypted key.*openssl pkcs8 -in key\.pem/],
    [{ privateKey: fixture("ec.key") }, /privateKey is not an RSA key/],
    [
      { privateKey: CERT },
      /privateKey must hold .* PKCS#8 form .*; it holds a CERTIFICATE block instead/,
    ],
    [{ privateKey: "" }, /privateKey must hold .*; it is empty/],
    [{ privateKey: "just text" }, /privateKey must hold .*; it holds no PEM block/],
    [{ privateKey: damaged }, /privateKey: the PRIVATE KEY block is not valid base64/],
    [
      { privateKey: KEY.replace(/(BEGIN PRIVATE KEY-----\s+)\S{4}/, "$1AAAA") },
      /privateKey is not a well-formed PKCS#8 key/,
    ],
    [
      { certificate: KEY },
      /certificate must hold the certificate registered on the app as PEM .*; it holds none/,
    ],
    [
      { certificate: CERT.replace(/(BEGIN CERTIFICATE-----\s+)\S{8}/, "$1AAAAAAAA") },
      /certificate: a CERTIFICATE block is not a well-formed X\.509 certificate/,
    ],
    [{ algorithm: "HS256" }, /algorithm must be "PS256" or "RS256"/],
  ];
  for (const [change, pattern] of cases) {
    const err = (() => {
      try {
        entraClientCertificate(
          { ...base, ...change } as Parameters<typeof entraClientCertificate>[0],
        );
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof TypeError, String(pattern));
    assert.match(err.message, pattern);
    assert.match(err.message, /^entraClientCertificate\(\): /);
    assertNoKey(renderings(err));
    assert.ok(!err.message.includes("MII"), "no DER base64 quoted");
  }
});

Deno.test("edge app with entraClientCertificate(): signs in against the emulator and calls it with the token, end to end", async () => {
  const { fetch, forms, emulator, clock } = setup();
  const app = createEdgeApp({
    upstream: {
      endpoint: "http://emulator.local",
      tokenProvider: entraClientCertificate({
        tenantId: TENANT,
        clientId: CLIENT,
        privateKey: CLIENT_PEM,
        certificate: CLIENT_PEM,
        authorityHost: "http://localhost",
        fetch,
        now: () => clock.t,
      }),
      fetch,
    },
    clientKeys: ["client-key-0123456789"],
  });
  const res = await app.fetch(
    new Request(
      "http://edge.local/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
      {
        method: "POST",
        headers: { "api-key": "client-key-0123456789", "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
      },
    ),
  );
  assert.equal(res.status, 200);
  assert.equal((await res.json()).choices[0].message.content, "You said: hi");
  assert.equal(forms.length, 1);
  assert.ok(forms[0].get("client_assertion"));
  assert.equal(emulator.log.at(-1)?.auth, "bearer");
});

Deno.test("entraClientCertificate(): the assertion is compact JWS in base64url without padding, its PS256 signature (salt 32) verifies with the certificate's public key", async () => {
  const { fetch, forms, clock } = setup();
  const provider = entraClientCertificate({
    ...SIGN_IN,
    fetch,
    now: () => clock.t + 0.9, // a clock with a fraction of a second: claims are whole seconds
  });
  await provider();
  const assertion = forms[0].get("client_assertion")!;
  // Microsoft.IdentityModel reads only this form (JwtConstants.JsonCompactSerializationRegex).
  assert.match(assertion, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  const [header, claims, signature] = assertion.split(".");
  const bytes = (part: string) =>
    Uint8Array.from(atob(part.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  assert.equal(bytes(signature).length, 256); // RSA-2048
  for (const name of ["nbf", "iat", "exp"]) {
    assert.ok(Number.isInteger(decode(claims)[name]), name);
  }
  const spki = /-----BEGIN PUBLIC KEY-----([^-]*)-----END/.exec(fixture("client.pub.pem"))![1];
  const key = await crypto.subtle.importKey(
    "spki",
    bytes(spki.replace(/\s+/g, "")),
    { name: "RSA-PSS", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const signed = new TextEncoder().encode(`${header}.${claims}`);
  assert.ok(
    await crypto.subtle.verify({ name: "RSA-PSS", saltLength: 32 }, key, bytes(signature), signed),
  );
});

Deno.test("entraClientCertificate(): concurrent calls share one token request; a refusal is held 5 s, then a new assertion is signed", async () => {
  const { fetch, forms, clock } = setup([OTHER_PEM]); // the app's certificate is not registered
  const provider = entraClientCertificate({
    ...SIGN_IN,
    fetch,
    now: () => clock.t,
  });
  const errors = await Promise.all(
    [provider(), provider(), provider()].map((p) => p.then(() => undefined, (e) => e)),
  );
  assert.equal(forms.length, 1);
  assert.ok(errors.every((e) => e instanceof EntraTokenError && e.aadsts === "AADSTS700027"));
  clock.t += 4_999;
  assert.equal(await provider().catch((e) => e), errors[0]);
  assert.equal(forms.length, 1);
  clock.t += 1;
  await provider().catch(() => {});
  assert.equal(forms.length, 2);
  const jti = (form: URLSearchParams) => decode(form.get("client_assertion")!.split(".")[1]).jti;
  assert.notEqual(jti(forms[0]), jti(forms[1]));
});

Deno.test("entraClientCertificate(): a chain in any order signs with the certificate of the key (the leaf), in one file with the key too", async () => {
  const other = pemOf(OTHER_PEM, "CERTIFICATE");
  for (
    const [privateKey, certificate] of [
      [KEY, other + CERT],
      [KEY + other + CERT, KEY + other + CERT],
      [other + KEY + CERT, other + KEY + CERT],
    ]
  ) {
    const { fetch, forms, clock } = setup();
    const provider = entraClientCertificate({
      tenantId: TENANT,
      clientId: CLIENT,
      privateKey,
      certificate,
      authorityHost: "http://localhost",
      fetch,
      now: () => clock.t,
    });
    assert.ok((await provider()).token);
    assert.equal(
      decode(forms[0].get("client_assertion")!.split(".")[0])["x5t#S256"],
      "5naxhLUF0eyZOr2uK11bpHXtg2037X1Lc8eHrxjrvJ8",
    );
  }
  // No certificate of the chain holds the key's public key: the mismatch is reported.
  const { fetch, forms } = setup();
  const err = await entraClientCertificate({
    tenantId: TENANT,
    clientId: CLIENT,
    privateKey: KEY,
    certificate: other + other,
    authorityHost: "http://localhost",
    fetch,
  })().catch((e) => e);
  assert.ok(err instanceof EntraTokenError);
  assert.match(err.message, /privateKey is not the private key of the certificate/);
  assert.equal(forms.length, 0);
});

Deno.test("entraClientCertificate(): a PEM with CRLF, a BOM, trailing spaces or line breaks written out (\\n, \\r\\n, also beside real ones) is read", async () => {
  const texts = [
    CLIENT_PEM.replace(/\n/g, "\r\n"),
    "\uFEFF" + CLIENT_PEM.replace(/\n/g, " \t\n"),
    CLIENT_PEM.replace(/\n/g, "\\n"),
    CLIENT_PEM.replace(/\n/g, "\\r\\n"),
    CLIENT_PEM.trim().replace(/\n/g, "\\n") + "\n", // a secret read from a file ending in a line break
  ];
  for (const [i, pem] of texts.entries()) {
    const { fetch, clock } = setup();
    const provider = entraClientCertificate({
      tenantId: TENANT,
      clientId: CLIENT,
      privateKey: pem,
      certificate: pem,
      authorityHost: "http://localhost",
      fetch,
      now: () => clock.t,
    });
    assert.ok((await provider()).token, `text ${i}`);
  }
});

Deno.test("entraClientCertificate(): a PKCS#1 or encrypted key after the certificate in one file still gets the command that converts it", () => {
  const encrypted =
    "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
  const cases: [string, RegExp][] = [
    [CERT + fixture("client_pkcs1.key"), /holds a PKCS#1 key .*openssl pkcs8 -topk8 -nocrypt/],
    [CERT + encrypted, /holds an encrypted key.*openssl pkcs8 -in key\.pem/],
  ];
  for (const [pem, pattern] of cases) {
    assert.throws(
      () =>
        entraClientCertificate({
          tenantId: TENANT,
          clientId: CLIENT,
          privateKey: pem,
          certificate: pem,
        }),
      (err: Error) => err instanceof TypeError && pattern.test(err.message),
    );
  }
});
