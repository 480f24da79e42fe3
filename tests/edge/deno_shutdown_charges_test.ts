// serveEdge(): closing the server waits for the charges of the requests it answered before it
// closes its Deno KV (they land after the response body, in the background).
import assert from "node:assert/strict";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";
import { clientIdOf } from "../../edge/mod.ts";

const KEY = "deno-shutdown-charges-key-1";

Deno.test("serveEdge(): close() waits for the last requests' token charges before it closes its Deno KV", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = edgeConfigFromEnv((name) =>
      ({
        PORT: "0",
        AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
        AOAI_EDGE_KEYS: KEY,
        AOAI_EDGE_TOKEN_QUOTA: "1000000/day",
        AOAI_EDGE_TOKEN_LIMIT_TPM: "100",
      } as Record<string, string>)[name]
    );
    const server = await serveEdge(config);
    let used = 0;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${server.url}/openai/v1/embeddings`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({ model: "text-embedding-3-small", input: `shutdown ${i}` }),
      });
      assert.equal(res.status, 200);
      used += (await res.json()).usage.total_tokens;
    }
    // At once, as a SIGTERM would: no wait for the background charges.
    await server.close();
    using kv = await Deno.openKv(`${dir}/edge.kv`);
    const id = await clientIdOf(KEY);
    const quota = await Array.fromAsync(kv.list<Deno.KvU64>({ prefix: ["aoai-edge-quota", id] }));
    assert.equal(quota.length, 1, "the quota was charged");
    assert.equal(quota[0].value.value, BigInt(used), "every request's charge, the last one too");
    const budget = await kv.get(["aoai-edge-tokens", id]);
    assert.notEqual(budget.value, null, "the token budget was charged");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
