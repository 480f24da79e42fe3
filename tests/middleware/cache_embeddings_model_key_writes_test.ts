// cache() writes an embeddings deployment's model key once per isolate (Workers KV allows one
// write a second per key, and its reads lag behind its writes), renews it after half its TTL,
// writes it again after a failed write, and remembers the keys of several deployments at once.
// The store here never shows the model key to reads: what a lagging KV does.
import assert from "node:assert/strict";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import type { CacheSetOptions, CacheStore } from "../../src/cache/types.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { makeContext } from "./_context.ts";
import { deployment } from "./_embeddings_cache.ts";

const URL_ =
  "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21";
const MODEL_KEY = "aoai:emb-model:";

/** A store whose reads never see a model key; `writes` lists the model key writes tried. */
function laggingStore(failFirst = false) {
  const inner = new MemoryCache();
  const writes: string[] = [];
  const store: CacheStore = {
    get: (key) => key.startsWith(MODEL_KEY) ? Promise.resolve(null) : inner.get(key),
    set: (key: string, value: Uint8Array, options?: CacheSetOptions) => {
      if (key.startsWith(MODEL_KEY)) {
        writes.push(key);
        if (failFirst && writes.length === 1) return Promise.reject(new Error("KV 429"));
      }
      return inner.set(key, value, options);
    },
    delete: (key) => inner.delete(key),
  };
  return { store, writes };
}

/** A miss of `input` (params `extra`: another set of params has another model key). */
async function miss(store: CacheStore, input: string, extra = "A") {
  const ctx = makeContext({
    operation: "embeddings.create",
    deployment: "emb",
    request: new Request(URL_, {
      method: "POST",
      body: JSON.stringify({ input: [input], extra }),
      headers: { "content-type": "application/json" },
    }),
  });
  const res = await compose(
    [cache({ store, ttlSeconds: 100 })],
    deployment("text-embedding-3-small").respond,
  )(ctx);
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
  await res.body?.cancel();
}

Deno.test("cache() embeddings: the model key is written once, then again after half its TTL", async () => {
  const { store, writes } = laggingStore();
  const realNow = Date.now;
  const t0 = realNow();
  try {
    Date.now = () => t0;
    await miss(store, "a");
    assert.equal(writes.length, 1);
    Date.now = () => t0 + 49_999;
    await miss(store, "b");
    assert.equal(writes.length, 1, "not rewritten before half the TTL (50 s)");
    Date.now = () => t0 + 50_000;
    await miss(store, "c");
    assert.equal(writes.length, 2, "renewed at half the TTL");
  } finally {
    Date.now = realNow;
  }
});

Deno.test("cache() embeddings: a model key whose write failed is written again by the next miss", async () => {
  const { store, writes } = laggingStore(true);
  await miss(store, "a");
  await miss(store, "b");
  assert.equal(writes.length, 2);
  assert.equal(writes[0], writes[1]);
});

Deno.test("cache() embeddings: the model keys of two param sets are each written once", async () => {
  const { store, writes } = laggingStore();
  await miss(store, "a", "A");
  await miss(store, "b", "B");
  await miss(store, "c", "A");
  await miss(store, "d", "B");
  assert.equal(writes.length, 2);
  assert.notEqual(writes[0], writes[1]);
});
