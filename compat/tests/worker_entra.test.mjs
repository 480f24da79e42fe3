// The edge Worker (edge/worker.ts bundled by compat/worker/build.sh) in workerd through miniflare
// signing in to its upstream with Microsoft Entra ID instead of a key: with a client secret, and
// with a certificate (AZURE_CLIENT_CERTIFICATE, a PEM secret: the client assertion is signed with
// workerd's Web Crypto). The emulator serves both the token endpoint and the API, and accepts
// only the tokens it issued (disableLocalAuth).
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startWorker } from "./_worker.mjs";

const TENANT = "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10";
const CLIENT = "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f";
const SECRET = "worker-entra-client-secret-value";
const KEY = "worker-entra-client-key";
const PEM = readFileSync(
  new URL("../../tests/fixtures/entra/client.pem", import.meta.url),
  "utf8",
);
const CERTIFICATE = PEM.slice(PEM.indexOf("-----BEGIN CERTIFICATE-----"));

const workers = [];
after(async () => {
  for (const worker of workers) await worker.close();
});

/** A Worker signing in with `credential` (its authority host is the emulator). */
async function signingIn(credential) {
  const worker = await startWorker({
    apiKey: false,
    emulator: {
      disableLocalAuth: true,
      entra: {
        tenantId: TENANT,
        clientId: CLIENT,
        clientSecret: SECRET,
        certificates: [CERTIFICATE],
      },
    },
    bindings: {
      AOAI_EDGE_KEYS: KEY,
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: CLIENT,
      ...credential,
    },
  });
  workers.push(worker);
  return worker;
}

async function chat(worker) {
  const res = await worker.mf.dispatchFetch(
    `${worker.base}/v1/chat/completions`,
    {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o",
        messages: [{ role: "user", content: "hi" }],
      }),
    },
  );
  return { status: res.status, body: await res.json() };
}

describe("edge worker signing in with Microsoft Entra ID in workerd (miniflare)", () => {
  for (
    const [name, credential] of [
      ["a client secret", { AZURE_CLIENT_SECRET: SECRET }],
      ["a certificate (AZURE_CLIENT_CERTIFICATE)", {
        AZURE_CLIENT_CERTIFICATE: PEM,
      }],
      ["a certificate signing RS256 (AZURE_CLIENT_CERTIFICATE_ALG)", {
        AZURE_CLIENT_CERTIFICATE: PEM,
        AZURE_CLIENT_CERTIFICATE_ALG: "RS256",
      }],
    ]
  ) {
    test(`gets a token with ${name} and calls the upstream with it`, async () => {
      const worker = await signingIn(credential);
      const { status, body } = await chat(worker);
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.choices[0].message.content, "You said: hi");
      const tokenCalls = worker.emulator.log.filter((e) => e.path.includes("/oauth2/v2.0/token"));
      assert.equal(tokenCalls.length, 1);
      // A second call reuses the token.
      assert.equal((await chat(worker)).status, 200);
      assert.equal(
        worker.emulator.log.filter((e) => e.path.includes("/oauth2/v2.0/token"))
          .length,
        1,
      );
    });
  }

  test("an expired certificate answers 500 EdgeMisconfigured naming its dates, and asks Entra ID nothing", async () => {
    const expired = readFileSync(
      new URL("../../tests/fixtures/entra/expired.pem", import.meta.url),
      "utf8",
    );
    const worker = await signingIn({ AZURE_CLIENT_CERTIFICATE: expired });
    const { status, body } = await chat(worker);
    assert.equal(status, 500);
    assert.equal(body.error.code, "EdgeMisconfigured");
    assert.match(
      body.error.message,
      /AZURE_CLIENT_CERTIFICATE: the certificate expired on 2001-01-01T00:00:00Z/,
    );
    assert.ok(!body.error.message.includes("PRIVATE KEY"));
    assert.equal(
      worker.emulator.log.filter((e) => e.path.includes("/oauth2/v2.0/token"))
        .length,
      0,
    );
  });

  test("AZURE_CLIENT_CERTIFICATE_ALG other than PS256 or RS256 answers 500 EdgeMisconfigured naming it", async () => {
    const worker = await signingIn({
      AZURE_CLIENT_CERTIFICATE: PEM,
      AZURE_CLIENT_CERTIFICATE_ALG: "ES256",
    });
    const { status, body } = await chat(worker);
    assert.equal(status, 500);
    assert.match(
      body.error.message,
      /AZURE_CLIENT_CERTIFICATE_ALG must be PS256/,
    );
  });
});
