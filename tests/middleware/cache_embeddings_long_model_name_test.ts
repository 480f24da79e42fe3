// A cached embeddings vector carries the name of the model that made it, its length in one byte:
// a name over 255 UTF-8 bytes cannot be stored, so its vectors are not written at all (the call
// is served as a miss each time, and the store is never handed a broken value).
import assert from "node:assert/strict";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";
import type { CacheStore } from "../../src/cache/types.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { deployment, embeddingsContext } from "./_embeddings_cache.ts";

/**
 * Two calls of the same input through one Deno KV store: their cache statuses, the store errors
 * and the vector entries written.
 */
async function twice(model: string) {
  const kv = await Deno.openKv(":memory:");
  try {
    const inner = new DenoKvCache(kv);
    const vectorWrites: string[] = [];
    const store: CacheStore = {
      get: (key) => inner.get(key),
      getMany: (keys) => inner.getMany(keys),
      set: (key, value, options) => {
        if (key.startsWith("aoai:emb:")) vectorWrites.push(key);
        return inner.set(key, value, options);
      },
      delete: (key) => inner.delete(key),
    };
    const up = deployment(model);
    const errors: unknown[] = [];
    const statuses: (string | null)[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await compose(
        [cache({ store, onStoreError: (err) => errors.push(err) })],
        up.respond,
      )(embeddingsContext(["alpha"]));
      statuses.push(res.headers.get("x-aoai-cache"));
      const json = await res.json();
      assert.equal(json.model, model);
      assert.equal(json.data.length, 1);
    }
    return { statuses, errors, upstream: up.inputs.length, vectorWrites: vectorWrites.length };
  } finally {
    kv.close();
  }
}

Deno.test("cache() embeddings: a model name of 255 UTF-8 bytes is stored with its vectors", async () => {
  const { statuses, errors, upstream, vectorWrites } = await twice("m".repeat(255));
  assert.deepEqual(statuses, ["miss", "hit"]);
  assert.equal(vectorWrites, 1);
  assert.deepEqual(errors, []);
  assert.equal(upstream, 1);
});

Deno.test("cache() embeddings: vectors of a model named in over 255 UTF-8 bytes are not stored", async () => {
  // 256 bytes as ASCII, and 128 characters of two bytes each.
  for (const model of ["m".repeat(256), "é".repeat(128)]) {
    const { statuses, errors, upstream, vectorWrites } = await twice(model);
    assert.deepEqual(statuses, ["miss", "miss"], model);
    // (Its length byte would read 0: the name would read as vector bytes.)
    assert.equal(vectorWrites, 0, "no entry written");
    assert.deepEqual(errors, [], "the store is never handed a value that is not bytes");
    assert.equal(upstream, 2);
  }
});
