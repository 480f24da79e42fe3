// A deployment re-pointed at another model of the same vector size (text-embedding-ada-002 and
// text-embedding-3-small both answer 1536 dims): a partial hit must not merge the old model's
// cached vectors with the new model's, which live in another vector space.
import assert from "node:assert/strict";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { deployment, embed } from "./_embeddings_cache.ts";

Deno.test("cache() embeddings: a partial hit whose upstream names another model refetches the whole batch", async () => {
  const store = new MemoryCache();
  await embed(store, ["alpha", "beta"], deployment("text-embedding-ada-002"));

  // The deployment now serves text-embedding-3-small (same size).
  const now = deployment("text-embedding-3-small");
  const got = await embed(store, ["alpha", "gamma"], now);
  const fresh = await embed(
    new MemoryCache(),
    ["alpha", "gamma"],
    deployment("text-embedding-3-small"),
  );
  assert.deepEqual(got.vectors, fresh.vectors, "every vector from the model serving now");
  assert.equal(got.model, "text-embedding-3-small");
  assert.deepEqual(now.inputs.at(-1), ["alpha", "gamma"], "the whole batch went upstream");

  // The refetched vectors replaced the old entries.
  const again = await embed(store, ["alpha"], now);
  assert.equal(again.status, "hit");
  assert.deepEqual(again.vectors, [fresh.vectors[0]]);
});

Deno.test("cache() embeddings: a partial hit from the same model still sends only the missing inputs", async () => {
  const store = new MemoryCache();
  const up = deployment("text-embedding-3-small");
  await embed(store, ["alpha"], up);
  const got = await embed(store, ["alpha", "gamma"], up);
  assert.equal(got.status, "partial");
  assert.deepEqual(up.inputs, [["alpha"], ["gamma"]]);
});
