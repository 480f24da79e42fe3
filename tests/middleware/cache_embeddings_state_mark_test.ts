// cache() embeddings records each call's cache status in the context's state (CACHE_STATE_KEY, what
// logger() and the edge app report), the same as its x-aoai-cache header: miss, partial, hit.
import assert from "node:assert/strict";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { CACHE_STATE_KEY } from "../../src/middleware/_state.ts";
import { deployment, embeddingsContext } from "./_embeddings_cache.ts";

Deno.test("cache() embeddings: the context's cache status is the header's: miss, partial, hit", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const run = compose(
      [cache({ store: new DenoKvCache(kv) })],
      deployment("text-embedding-3-small").respond,
    );
    const marks: [unknown, string | null][] = [];
    for (const input of [["a"], ["a", "b"], ["b", "a"]]) {
      const ctx = embeddingsContext(input);
      const res = await run(ctx);
      marks.push([ctx.state[CACHE_STATE_KEY], res.headers.get("x-aoai-cache")]);
      await res.body?.cancel();
    }
    assert.deepEqual(marks, [["miss", "miss"], ["partial", "partial"], ["hit", "hit"]]);
  } finally {
    kv.close();
  }
});
