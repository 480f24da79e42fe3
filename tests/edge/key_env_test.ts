// Client keys with their own deployments from the environment (AOAI_EDGE_KEY_DEPLOYMENTS), and
// serveEdge() counting a key's own rate limit in Deno KV like the app's.
import assert from "node:assert/strict";
import { keyDeploymentsFromEnv } from "../../edge/_env.ts";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";
import worker, { type WorkerEnv } from "../../edge/worker.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";
import { errorOf } from "./_helpers.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];
const KEYS = ["env-chat-client-key", "env-indexer-client-key"];
const ctx: EdgeExecutionContext = { waitUntil: () => {} };

function post(base: string, key: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { "api-key": key, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

Deno.test("keyDeploymentsFromEnv() reads one entry per key and names the variable when it is wrong", () => {
  assert.equal(keyDeploymentsFromEnv(" ", 2), undefined);
  assert.deepEqual(keyDeploymentsFromEnv("*, gpt-4o ; gpt-4o-mini", 2), [undefined, [
    "gpt-4o",
    "gpt-4o-mini",
  ]]);
  assert.throws(() => keyDeploymentsFromEnv("*", 2), /lists 1 entry but AOAI_EDGE_KEYS lists 2/);
  assert.throws(() => keyDeploymentsFromEnv("*,", 2), /entry 2 must be \* \(every deployment\)/);
  assert.throws(() => keyDeploymentsFromEnv("a;;b", 1), /entry 1 must be/);
  assert.throws(
    () => keyDeploymentsFromEnv("gpt-4o;*", 1),
    /entry 1 must be .* without empty names or \*/,
  );
  assert.throws(
    () => edgeConfigFromEnv(env({ AOAI_EDGE_KEY_DEPLOYMENTS: "gpt-4o" })),
    /AOAI_EDGE_KEY_DEPLOYMENTS needs AOAI_EDGE_KEYS/,
  );
});

Deno.test("serveEdge() with AOAI_EDGE_KEY_DEPLOYMENTS refuses a key the deployments it is not given", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = edgeConfigFromEnv(env({
      PORT: "0",
      AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
      AOAI_EDGE_KEYS: KEYS.join(","),
      AOAI_EDGE_KEY_DEPLOYMENTS: "*,text-embedding-3-small",
    }));
    assert.deepEqual(config.options.clientKeys, [
      KEYS[0],
      { key: KEYS[1], deployments: ["text-embedding-3-small"] },
    ]);
    assert.ok(config.banner.some((line) => line.includes("limited to some deployments: 1")));
    await using server = await serveEdge(config);
    const chat = { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] };
    const refused = await post(server.url, KEYS[1], "/v1/chat/completions", chat);
    assert.equal(refused.status, 403);
    assert.equal((await errorOf(refused)).code, "DeploymentNotAllowedForKey");
    const embed = { model: "text-embedding-3-small", input: "hi" };
    const ok = await post(server.url, KEYS[1], "/v1/embeddings", embed);
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    const other = await post(server.url, KEYS[0], "/v1/chat/completions", chat);
    assert.equal(other.status, 200);
    await other.body?.cancel();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serveEdge() counts a client key's own requestsPerMinute in its Deno KV: two servers on one file share it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const base = edgeConfigFromEnv(env({ PORT: "0", AOAI_EDGE_KV_PATH: `${dir}/edge.kv` }));
    const config = {
      ...base,
      options: {
        ...base.options,
        clientKeys: [KEYS[0], { key: KEYS[1], rateLimit: { requestsPerMinute: 1 } }],
      },
    };
    const embed = { model: "text-embedding-3-small", input: "hi" };
    {
      await using server = await serveEdge(config);
      const first = await post(server.url, KEYS[1], "/v1/embeddings", embed);
      assert.equal(first.status, 200);
      await first.body?.cancel();
    }
    await using other = await serveEdge(config);
    const refused = await post(other.url, KEYS[1], "/v1/embeddings", embed);
    assert.equal(refused.status, 429, "another server on the same KV sees the key's request");
    await refused.body?.cancel();
    const free = await post(other.url, KEYS[0], "/v1/embeddings", embed);
    assert.equal(free.status, 200, "the other key has no limit");
    await free.body?.cancel();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the Worker reads AOAI_EDGE_KEY_DEPLOYMENTS and rebuilds when it changes", async () => {
  const emulator = createEmulator({ apiKeys: ["azure-upstream-key"] });
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => emulator.fetch(request),
  );
  const bindings: WorkerEnv = {
    AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${server.addr.port}`,
    AZURE_OPENAI_API_KEY: "azure-upstream-key",
    AOAI_EDGE_KEYS: KEYS.join(","),
    AOAI_EDGE_KEY_DEPLOYMENTS: "*,text-embedding-3-small",
  };
  const chat = (key: string) =>
    new Request("https://w.example/v1/chat/completions", {
      method: "POST",
      headers: { "api-key": key, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
    });
  const refused = await worker.fetch(chat(KEYS[1]), bindings, ctx);
  assert.equal(refused.status, 403);
  await refused.body?.cancel();
  bindings.AOAI_EDGE_KEY_DEPLOYMENTS = "*,*";
  const allowed = await worker.fetch(chat(KEYS[1]), bindings, ctx);
  assert.equal(allowed.status, 200);
  await allowed.body?.cancel();
  bindings.AOAI_EDGE_KEY_DEPLOYMENTS = "*";
  const wrong = await worker.fetch(chat(KEYS[0]), bindings, ctx);
  assert.equal(wrong.status, 500);
  assert.match((await errorOf(wrong)).message, /AOAI_EDGE_KEY_DEPLOYMENTS lists 1 entry/);
});
