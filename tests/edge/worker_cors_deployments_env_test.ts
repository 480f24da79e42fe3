/**
 * The Worker's AOAI_EDGE_CORS_ORIGINS (a list of origins, or `*` for any) and
 * AOAI_EDGE_DEPLOYMENTS (an allowlist: another deployment is refused without an upstream call)
 * reach the app it builds.
 */
import assert from "node:assert/strict";
import { createWorkerApp, type WorkerEnv } from "../../edge/worker.ts";

const KEY = "worker-cors-deployments-client-key";
const base: WorkerEnv = {
  AZURE_OPENAI_ENDPOINT: "https://worker-cors-deployments.openai.azure.com",
  AZURE_OPENAI_API_KEY: "azure-key-worker-cors-deployments",
  AOAI_EDGE_KEYS: KEY,
};

/** The `access-control-allow-origin` a preflight from `origin` gets (null: none). */
async function allowedOrigin(env: WorkerEnv, origin: string): Promise<string | null> {
  const res = await createWorkerApp(env).fetch(
    new Request("https://w.example/v1/chat/completions", {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "api-key, content-type",
      },
    }),
  );
  await res.body?.cancel();
  return res.headers.get("access-control-allow-origin");
}

Deno.test("AOAI_EDGE_CORS_ORIGINS: a listed origin is allowed, another is not; `*` allows any; unset none", async () => {
  const listed = { ...base, AOAI_EDGE_CORS_ORIGINS: "https://a.example, https://b.example" };
  assert.equal(await allowedOrigin(listed, "https://b.example"), "https://b.example");
  assert.equal(await allowedOrigin(listed, "https://c.example"), null);
  const any = { ...base, AOAI_EDGE_CORS_ORIGINS: "https://a.example,*" };
  assert.equal(await allowedOrigin(any, "https://c.example"), "*");
  assert.equal(await allowedOrigin(base, "https://a.example"), null);
  assert.equal(
    await allowedOrigin({ ...base, AOAI_EDGE_CORS_ORIGINS: " , " }, "https://a.example"),
    null,
  );
});

Deno.test("AOAI_EDGE_DEPLOYMENTS: a deployment off the list is refused without calling the upstream", async () => {
  const calls: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input: RequestInfo | URL) => {
    calls.push(input instanceof Request ? input.url : String(input));
    return Promise.resolve(new Response("upstream not expected", { status: 500 }));
  };
  try {
    const app = createWorkerApp({
      ...base,
      AOAI_EDGE_DEPLOYMENTS: "gpt-4o, text-embedding-3-small",
    });
    const res = await app.fetch(
      new Request("https://w.example/v1/embeddings", {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({ model: "text-embedding-3-large", input: "x" }),
      }),
    );
    const body = await res.json();
    assert.equal(res.status, 404, JSON.stringify(body));
    assert.equal(body.error.code, "DeploymentNotFound");
    assert.deepEqual(calls, []);
  } finally {
    globalThis.fetch = realFetch;
  }
});
