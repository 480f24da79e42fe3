// A stored expiry that is not a number of ms (NaN: a corrupt or foreign entry) must read as
// absent, not as "never expires": a corrupted entry is a miss.
import assert from "node:assert/strict";
import { WorkersKvCache, type WorkersKvNamespace } from "../../edge/cache/workers_kv.ts";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";

Deno.test("WorkersKvCache reads a value whose header holds a NaN expiry as absent", async () => {
  const raw = new Uint8Array(9 + 4);
  const view = new DataView(raw.buffer);
  view.setUint8(0, 0xa1); // the format byte set() writes
  view.setFloat64(1, NaN, true);
  raw.set([1, 2, 3, 4], 9);
  const kv: WorkersKvNamespace = {
    get: () => Promise.resolve(raw.slice().buffer),
    put: () => Promise.resolve(),
    delete: () => Promise.resolve(),
  };
  const cache = new WorkersKvCache(kv, { recentBytes: 0 });
  assert.equal(await cache.get("k"), null);
});

Deno.test("DenoKvCache reads a record whose expiry is NaN as absent", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await kv.set(["p", "k"], { e: NaN, v: new Uint8Array([1, 2, 3, 4]), s: 4 });
    const cache = new DenoKvCache(kv, { prefix: ["p"] });
    assert.equal(await cache.get("k"), null);
    assert.deepEqual(await cache.getMany(["k"]), [null]);
  } finally {
    kv.close();
  }
});
