// cache() caches an embeddings call made by path (client.request("/deployments/emb/embeddings"),
// whose operation is "request <path>", not "embeddings.create"): the path ending in /embeddings
// is enough.
import assert from "node:assert/strict";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { makeContext } from "./_context.ts";
import { deployment } from "./_embeddings_cache.ts";

Deno.test("cache() embeddings: a call by path to .../embeddings is cached", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const up = deployment("text-embedding-3-small");
    const run = compose([cache({ store: new DenoKvCache(kv) })], up.respond);
    const out: (string | null)[] = [];
    for (const path of ["embeddings", "embeddings/"]) {
      const res = await run(makeContext({
        operation: `request /deployments/emb/${path}`,
        deployment: "emb",
        request: new Request(
          `https://res.openai.azure.com/openai/deployments/emb/${path}?api-version=2024-10-21`,
          {
            method: "POST",
            body: JSON.stringify({ input: ["a"] }),
            headers: { "content-type": "application/json" },
          },
        ),
      }));
      out.push(res.headers.get("x-aoai-cache"));
      await res.body?.cancel();
    }
    assert.deepEqual(out, ["miss", "hit"]);
    assert.equal(up.inputs.length, 1);
  } finally {
    kv.close();
  }
});
