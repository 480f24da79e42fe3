/**
 * The Worker rebuilds its app when a binding it reads changes: every variable the env readers
 * (edge/_env.ts) and createWorkerApp() read must be part of its signature.
 */
import assert from "node:assert/strict";
import worker, { type WorkerEnv } from "../../edge/worker.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";

const CLIENT_PEM = Deno.readTextFileSync(
  new URL("../fixtures/entra/client.pem", import.meta.url),
);
const ctx: EdgeExecutionContext = { waitUntil: () => {} };

Deno.test("the Worker rebuilds its app when AZURE_CLIENT_CERTIFICATE_ALG alone changes (a wrong value then answers 500 naming it)", async () => {
  const base: WorkerEnv = {
    AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
    AZURE_TENANT_ID: "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10",
    AZURE_CLIENT_ID: "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f",
    AZURE_CLIENT_CERTIFICATE: CLIENT_PEM,
    AZURE_CLIENT_CERTIFICATE_ALG: "RS256",
    AOAI_EDGE_KEYS: "worker-signature-test-key",
  };
  // A typed binding, not an unknown one of the index signature.
  const alg: string | undefined = base.AZURE_CLIENT_CERTIFICATE_ALG;
  assert.equal(alg, "RS256");
  const health = () => new Request("https://edge.example/health");
  const good = await worker.fetch(health(), base, ctx);
  assert.equal(good.status, 200);
  await good.body?.cancel();
  const bad = await worker.fetch(health(), { ...base, AZURE_CLIENT_CERTIFICATE_ALG: "HS256" }, ctx);
  assert.equal(bad.status, 500, "the changed variable must rebuild the app");
  const body = await bad.json();
  assert.equal(body.error.code, "EdgeMisconfigured");
  assert.match(body.error.message, /AZURE_CLIENT_CERTIFICATE_ALG must be PS256/);
  const back = await worker.fetch(health(), base, ctx);
  assert.equal(back.status, 200);
  await back.body?.cancel();
});

Deno.test("every variable edge/_env.ts and edge/worker.ts read is a WorkerEnv binding and part of the Worker's signature", async () => {
  const read = (path: string) => Deno.readTextFile(new URL(path, import.meta.url));
  const env = await read("../../edge/_env.ts");
  const source = await read("../../edge/worker.ts");
  const names = new Set(
    [...`${env}\n${source}`.matchAll(/\b(?:AZURE|AOAI)_[A-Z0-9_]*[A-Z0-9]\b/g)].map((m) => m[0]),
  );
  const signature = /function signatureOf[\s\S]*?\n}/.exec(source)![0];
  const type = /export interface WorkerEnv \{[\s\S]*?\n}/.exec(source)![0];
  // AOAI_CACHE (a KV namespace) and the Rate Limiting binding are compared as objects.
  names.delete("AOAI_CACHE");
  assert.ok(names.has("AZURE_CLIENT_CERTIFICATE_ALG"));
  for (const name of names) {
    assert.ok(signature.includes(`env.${name},`), `${name} is not in signatureOf()`);
    assert.ok(new RegExp(`\\n  ${name}\\?: `).test(type), `${name} is not a WorkerEnv member`);
  }
});
