// cache() remembers, per store, the embeddings model keys this isolate has written (so it writes
// each once, not on every miss of a store whose reads lag behind its writes). It remembers 1,000
// at most: the 1,001st forgets them all, and a forgotten key is written again by its next miss.
// The store (Deno KV) here never shows a model key to reads, as a lagging KV would.
import assert from "node:assert/strict";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";
import type { CacheStore } from "../../src/cache/types.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { makeContext } from "./_context.ts";
import { deployment } from "./_embeddings_cache.ts";

const URL_ =
  "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21";
const MODEL_KEY = "aoai:emb-model:";

Deno.test("cache() embeddings: 1,000 model keys are remembered, the 1,001st forgets them", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const inner = new DenoKvCache(kv);
    /** The model key written by each miss (or "" for none). */
    let written = "";
    const store: CacheStore = {
      get: (key) => key.startsWith(MODEL_KEY) ? Promise.resolve(null) : inner.get(key),
      getMany: (keys) =>
        inner.getMany(keys).then((values) =>
          values.map((v, i) => keys[i].startsWith(MODEL_KEY) ? null : v)
        ),
      set: (key, value, options) => {
        if (key.startsWith(MODEL_KEY)) written = key;
        return inner.set(key, value, options);
      },
      delete: (key) => inner.delete(key),
    };
    const up = deployment("text-embedding-3-small");
    const middleware = compose([cache({ store })], up.respond);
    /** A miss of params set `n` (each set has its own model key): the model key it wrote. */
    const miss = async (n: number, input: string) => {
      written = "";
      const res = await middleware(makeContext({
        operation: "embeddings.create",
        deployment: "emb",
        request: new Request(URL_, {
          method: "POST",
          body: JSON.stringify({ input: [input], extra: `p${n}` }),
          headers: { "content-type": "application/json" },
        }),
      }));
      assert.equal(res.headers.get("x-aoai-cache"), "miss");
      await res.body?.cancel();
      return written;
    };

    const keys = new Set<string>();
    for (let n = 0; n < 1_000; n++) keys.add(await miss(n, "a"));
    assert.equal(keys.size, 1_000, "each params set writes its own model key");
    assert.ok(!keys.has(""));
    assert.equal(await miss(0, "b"), "", "remembered: not written again");
    assert.equal(await miss(999, "b"), "", "remembered: not written again");
    const last = await miss(1_000, "a");
    assert.ok(last !== "" && !keys.has(last));
    assert.equal(await miss(1, "b"), [...keys][1], "forgotten: written again");
    assert.equal(await miss(1_000, "b"), "", "the 1,001st is remembered");
  } finally {
    kv.close();
  }
});
