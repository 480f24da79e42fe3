import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { edgeConfigFromEnv } from "../../edge/deno.ts";
import { entraClientCertificate, EntraTokenError } from "../../edge/mod.ts";

const TENANT = "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10";
const CLIENT = "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f";
const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../fixtures/entra/${name}`, import.meta.url));
const CLIENT_PEM = fixture("client.pem");
const OTHER_PEM = fixture("other.pem");
/** The key of client.pem with a v1 certificate valid 2000-01-01 to 2001-01-01 (UTCTime). */
const EXPIRED_PEM = fixture("expired.pem");
/** The key of client.pem with a certificate valid 2060-01-01 to 2070-01-01 (GeneralizedTime). */
const NOT_YET_VALID_PEM = fixture("not_yet_valid.pem");
const pemOf = (text: string, label: string) =>
  new RegExp(`-----BEGIN ${label}-----[^-]*-----END ${label}-----\\n?`).exec(text)![0];
const KEY_BODY = /-----BEGIN PRIVATE KEY-----([^-]*)-----END/.exec(CLIENT_PEM)![1].replace(
  /\s/g,
  "",
);
/** 2027-01-15, after client.pem's notBefore (2026-12-01T05:40:41Z). */
const NOW = 1_800_000_000_000;

function assertNoKey(text: string): void {
  for (let i = 0; i + 32 < KEY_BODY.length; i += 32) {
    assert.ok(!text.includes(KEY_BODY.slice(i, i + 32)), "key material in the text");
  }
}

const create = (privateKey: string, certificate: string, now = () => NOW) =>
  entraClientCertificate({
    tenantId: TENANT,
    clientId: CLIENT,
    privateKey,
    certificate,
    authorityHost: "http://localhost",
    fetch: () => Promise.reject(new Error("no token request expected")),
    now,
  });

Deno.test("entraClientCertificate(): an expired or not yet valid certificate throws an EntraTokenError at creation naming its dates and what to do", () => {
  const cases: [string, string, RegExp][] = [
    [
      EXPIRED_PEM,
      "certificate_expired",
      /^entraClientCertificate\(\): certificate: the certificate expired on 2001-01-01T00:00:00Z \(valid from 2000-01-01T00:00:00Z to 2001-01-01T00:00:00Z\), and Entra ID refuses it: renew it, upload the new certificate to the app registration/,
    ],
    [
      NOT_YET_VALID_PEM,
      "certificate_not_yet_valid",
      /^entraClientCertificate\(\): certificate: the certificate is not valid yet \(valid from 2060-01-01T00:00:00Z to 2070-01-01T00:00:00Z; check the clock\)/,
    ],
  ];
  for (const [pem, code, pattern] of cases) {
    for (const [privateKey, certificate] of [[pem, pem], [pemOf(pem, "PRIVATE KEY"), pem]]) {
      assert.throws(() => create(privateKey, certificate), (err: unknown) => {
        assert.ok(err instanceof EntraTokenError);
        assert.equal(err.code, code);
        assert.equal(err.tenantId, TENANT);
        assert.match(err.message, pattern);
        assertNoKey(err.message + JSON.stringify(err));
        return true;
      });
    }
  }
  // On the clock of the host too (no `now`): 2001 is past.
  assert.throws(() => create(EXPIRED_PEM, EXPIRED_PEM, undefined), /expired on 2001-01-01/);
});

Deno.test("entraClientCertificate(): the validity checked is the one of the key's certificate, wherever it is in the chain", () => {
  const expired = pemOf(EXPIRED_PEM, "CERTIFICATE");
  const other = pemOf(OTHER_PEM, "CERTIFICATE");
  // The key of other.pem: its certificate is valid, the expired one beside it is another key's.
  for (const chain of [expired + other, other + expired]) {
    assert.equal(typeof create(pemOf(OTHER_PEM, "PRIVATE KEY"), chain), "function");
  }
  // The key of client.pem: its certificate in the chain is the expired one.
  for (const chain of [expired + other, other + expired]) {
    assert.throws(
      () => create(pemOf(CLIENT_PEM, "PRIVATE KEY"), chain),
      (err: unknown) => err instanceof EntraTokenError && err.code === "certificate_expired",
    );
  }
});

Deno.test("entraClientCertificate(): a certificate that expires while the process runs fails the next token request with a clear error, without asking Entra ID", async () => {
  const clock = { t: NOW };
  const emulator = createEmulator({
    entra: { tenantId: TENANT, clientId: CLIENT, certificates: [CLIENT_PEM] },
    now: () => clock.t,
  });
  let tokenRequests = 0;
  const provider = entraClientCertificate({
    tenantId: TENANT,
    clientId: CLIENT,
    privateKey: CLIENT_PEM,
    certificate: CLIENT_PEM,
    authorityHost: "http://localhost",
    fetch: (input, init) => {
      tokenRequests++;
      return emulator.fetch(new Request(input, init));
    },
    now: () => clock.t,
  });
  assert.ok((await provider()).token);
  // client.pem is valid to 2126-11-07T05:40:41Z (GeneralizedTime).
  clock.t = Date.UTC(2126, 10, 7, 5, 40, 42);
  const err = await provider().catch((e) => e);
  assert.ok(err instanceof EntraTokenError);
  assert.equal(err.code, "certificate_expired");
  assert.equal(err.status, undefined);
  assert.equal(err.aadsts, undefined);
  assert.match(
    err.message,
    new RegExp(
      `^Entra ID token request for tenant ${TENANT}: the certificate expired on ` +
        "2126-11-07T05:40:41Z \\(valid from 2026-12-01T05:40:41Z to 2126-11-07T05:40:41Z\\), " +
        "and Entra ID refuses it: renew it",
    ),
  );
  assertNoKey(err.message + JSON.stringify(err));
  assert.equal(tokenRequests, 1);
});

Deno.test("edgeConfigFromEnv(): an expired AZURE_CLIENT_CERTIFICATE stops it, naming the variable and the dates, never the key", () => {
  assert.throws(
    () =>
      edgeConfigFromEnv((name) =>
        ({
          AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
          AZURE_TENANT_ID: TENANT,
          AZURE_CLIENT_ID: CLIENT,
          AZURE_CLIENT_CERTIFICATE: EXPIRED_PEM,
          AOAI_EDGE_KEYS: "entra-validity-test-key",
        } as Record<string, string>)[name]
      ),
    (err: Error) => {
      assert.match(
        err.message,
        /^AZURE_CLIENT_CERTIFICATE: the certificate expired on 2001-01-01T00:00:00Z/,
      );
      assertNoKey(err.message);
      return true;
    },
  );
});

Deno.test("entraClientCertificate(): a validity time in a form RFC 5280 does not allow is not checked (no RangeError), the other one still is", () => {
  const der = Uint8Array.from(
    atob(/-----BEGIN CERTIFICATE-----([^-]*)-----END/.exec(CLIENT_PEM)![1].replace(/\s/g, "")),
    (c) => c.charCodeAt(0),
  );
  const latin1 = String.fromCharCode(...der);
  /** The key and client.pem's certificate with each time text replaced (same length). */
  const altered = (...changes: [string, string][]) => {
    const copy = der.slice();
    for (const [time, by] of changes) {
      const at = latin1.indexOf(time);
      assert.ok(at > 0 && by.length === time.length);
      copy.set(Array.from(by, (c) => c.charCodeAt(0)), at);
    }
    const b64 = btoa(String.fromCharCode(...copy)).replace(/.{64}/g, "$&\n");
    return `${
      pemOf(CLIENT_PEM, "PRIVATE KEY")
    }-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
  };
  // client.pem: notBefore UTCTime 261201054041Z, notAfter GeneralizedTime 21261107054041Z.
  const unreadable = altered(["261201054041Z", "26120105404+Z"], [
    "21261107054041Z",
    "2126110705404+Z",
  ]);
  assert.equal(typeof create(unreadable, unreadable, () => 0), "function");
  // notBefore unreadable, notAfter past: the expiry is still reported.
  const expired = altered(["261201054041Z", "26120105404+Z"], [
    "21261107054041Z",
    "20201107054041Z",
  ]);
  assert.throws(
    () => create(expired, expired),
    (err: unknown) =>
      err instanceof EntraTokenError && err.code === "certificate_expired" &&
      /expired on 2020-11-07T05:40:41Z \(valid from \(unreadable\) to 2020-11-07T05:40:41Z\)/
        .test(err.message),
  );
});
