// A deployment re-pointed at another model of the same vector size (text-embedding-ada-002 and
// text-embedding-3-small both answer 1536 dims): once any call has seen the new model, a full hit
// must not serve the old model's vectors (as the new model's, or mixed with the new model's).
import assert from "node:assert/strict";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { deployment, embed } from "./_embeddings_cache.ts";

const OLD = "text-embedding-ada-002";
const NEW = "text-embedding-3-small";

/** What the deployment answers `input` with when it serves `model` (no cache). */
async function fresh(input: string[], model: string) {
  const up = deployment(model);
  return (await embed(new MemoryCache(), input, up)).vectors;
}

Deno.test("cache() embeddings: after a miss saw the re-pointed model, a full hit of older vectors is refetched", async () => {
  const store = new MemoryCache();
  const up = deployment(OLD);
  await embed(store, ["alpha", "beta"], up);
  up.model.now = NEW; // the deployment is re-pointed
  await embed(store, ["gamma"], up); // a miss: the cache now knows the deployment's model

  const got = await embed(store, ["alpha", "beta"], up);
  assert.equal(got.model, NEW);
  assert.deepEqual(got.vectors, await fresh(["alpha", "beta"], NEW), "the new model's vectors");
  assert.equal(got.status, "miss");
  assert.deepEqual(up.inputs.at(-1), ["alpha", "beta"]);

  const again = await embed(store, ["alpha", "beta"], up);
  assert.equal(again.status, "hit", "the refetched vectors replaced the old ones");
  assert.deepEqual(again.vectors, got.vectors);
});

Deno.test("cache() embeddings: a full hit never mixes vectors of two models", async () => {
  const store = new MemoryCache();
  const up = deployment(OLD);
  await embed(store, ["alpha"], up);
  up.model.now = NEW;
  await embed(store, ["gamma"], up);

  const got = await embed(store, ["alpha", "gamma"], up);
  assert.deepEqual(got.vectors, await fresh(["alpha", "gamma"], NEW));
  assert.equal(got.model, NEW);
  assert.equal(got.status, "partial", "gamma (the new model's) served, alpha fetched");
  assert.deepEqual(up.inputs.at(-1), ["alpha"]);
});

Deno.test("cache() embeddings: before any call saw the re-pointed model, a full hit names the model that made its vectors", async () => {
  const store = new MemoryCache();
  const up = deployment(OLD);
  await embed(store, ["alpha"], up);
  up.model.now = NEW; // unknown to the cache: nothing went upstream since
  const got = await embed(store, ["alpha"], up);
  assert.equal(got.status, "hit");
  assert.equal(got.model, OLD, "labelled with the model that made the vectors");
  assert.deepEqual(got.vectors, await fresh(["alpha"], OLD));
});

Deno.test("cache() embeddings: another namespace starts an empty cache (the way to drop a re-pointed deployment's entries at once)", async () => {
  const store = new MemoryCache();
  const up = deployment(OLD);
  await embed(store, ["alpha"], up);
  up.model.now = NEW;
  const got = await embed(store, ["alpha"], up, { namespace: "v2" });
  assert.equal(got.status, "miss");
  assert.equal(got.model, NEW);
});
