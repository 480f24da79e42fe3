// cache() embeddings: cached vectors of two sizes for one deployment and params (the deployment
// changed under the cache, its model name did not) are not served together: a batch hitting both
// is fetched afresh, and its answer holds vectors of one size.
import assert from "node:assert/strict";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { embeddingsContext } from "./_embeddings_cache.ts";

Deno.test("cache() embeddings: cached vectors of two sizes are not served together", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    let dims = 2;
    const sent: string[][] = [];
    const respond = async (ctx: MiddlewareContext) => {
      const { input } = await ctx.request.json();
      sent.push(input);
      return Response.json({
        object: "list",
        model: "text-embedding-3-small",
        data: input.map((_: string, index: number) => ({
          object: "embedding",
          index,
          embedding: Array.from({ length: dims }, (_, i) => i + 1),
        })),
        usage: { prompt_tokens: 1, total_tokens: 1 },
      });
    };
    const run = compose([cache({ store: new DenoKvCache(kv) })], respond);
    const call = async (input: string[]) => {
      const res = await run(embeddingsContext(input));
      const json = await res.json();
      return {
        status: res.headers.get("x-aoai-cache"),
        sizes: json.data.map((d: { embedding: number[] }) => d.embedding.length),
      };
    };
    assert.deepEqual(await call(["a"]), { status: "miss", sizes: [2] });
    dims = 3;
    assert.deepEqual(await call(["b"]), { status: "miss", sizes: [3] });
    assert.deepEqual(await call(["a", "b"]), { status: "miss", sizes: [3, 3] });
    assert.deepEqual(sent, [["a"], ["b"], ["a", "b"]]);
  } finally {
    kv.close();
  }
});
