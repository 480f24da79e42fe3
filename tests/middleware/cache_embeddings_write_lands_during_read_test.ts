// A cached batch whose write to the store lands while the next call's read of the store is in
// flight: that read may answer from before the write, and the entries being written leave the
// in-process list of pending writes once the write is done. The next call must still see them
// (a CI run of the RAG scenario read 'partial' where every input had been cached).
import assert from "node:assert/strict";
import { compose } from "../../src/middleware/compose.ts";
import { cache } from "../../src/middleware/cache.ts";
import type { CacheStore } from "../../src/cache/types.ts";
import { deployment, embeddingsContext } from "./_embeddings_cache.ts";

/**
 * A store whose reads answer what it held when they began, once `reads` opens; writes wait for
 * `writes`.
 */
function gatedStore() {
  const map = new Map<string, Uint8Array>();
  const gates = { reads: Promise.resolve(), writes: Promise.resolve() };
  const store: CacheStore = {
    async get(key) {
      const value = map.get(key) ?? null;
      await gates.reads;
      return value;
    },
    async getMany(keys) {
      const values = keys.map((key) => map.get(key) ?? null);
      await gates.reads;
      return values;
    },
    async set(key, value) {
      await gates.writes;
      map.set(key, value);
    },
    delete(key) {
      map.delete(key);
      return Promise.resolve();
    },
  };
  return { store, gates };
}

const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

Deno.test("cache(): a batch whose write lands during the next call's store read is a hit", async () => {
  const { store, gates } = gatedStore();
  const up = deployment("text-embedding-3-small");
  const background: Promise<unknown>[] = [];
  const run = (input: string[]) =>
    compose(
      [cache({ store, waitUntil: (work) => background.push(work) })],
      up.respond,
    )(embeddingsContext(input));
  const inputs = ["alpha", "beta", "gamma"];

  const writes = Promise.withResolvers<void>();
  gates.writes = writes.promise;
  const first = await run(inputs);
  assert.equal(first.headers.get("x-aoai-cache"), "miss");
  await first.arrayBuffer();

  // The next call reads the store before the write lands; the write lands (and is done) before
  // that read answers.
  const reads = Promise.withResolvers<void>();
  gates.reads = reads.promise;
  const second = run(inputs);
  await ticks(3);
  writes.resolve();
  await Promise.all(background);
  await ticks(3);
  reads.resolve();
  const res = await second;
  assert.equal(res.headers.get("x-aoai-cache"), "hit");
  assert.deepEqual(up.inputs, [inputs]);
});
