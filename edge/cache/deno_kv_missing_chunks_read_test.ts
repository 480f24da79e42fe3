/**
 * DenoKvCache bounds what a record costs to read: `maxValueBytes` is at most 1 GiB, and a chunked
 * record whose first chunks are missing (deleted, expired, or a corrupt or foreign record under
 * the prefix) reads as absent after one `getMany()` of Deno KV, not one per 10 chunks it claims.
 */
import assert from "node:assert/strict";
import { DenoKvCache } from "./deno_kv.ts";

const CHUNK = 60 * 1024;

/** The real `kv`, counting `getMany()` calls and the keys they asked for. */
function counting(kv: Deno.Kv) {
  const seen = { calls: 0, keys: 0 };
  const store = new Proxy(kv, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (name !== "getMany") return typeof value === "function" ? value.bind(target) : value;
      return (keys: Deno.KvKey[]) => {
        seen.calls++;
        seen.keys += keys.length;
        return target.getMany(keys);
      };
    },
  });
  return { store, seen };
}

Deno.test("new DenoKvCache() takes maxValueBytes up to 1 GiB and refuses more, naming the limit", async () => {
  using kv = await Deno.openKv(":memory:");
  new DenoKvCache(kv, { maxValueBytes: 2 ** 30 });
  for (const maxValueBytes of [2 ** 30 + 1, Number.MAX_SAFE_INTEGER]) {
    assert.throws(() => new DenoKvCache(kv, { maxValueBytes }), (err: unknown) => {
      assert.ok(err instanceof TypeError, String(err));
      assert.match(err.message, /maxValueBytes must be a positive integer of at most 1073741824/);
      return true;
    });
  }
});

Deno.test("DenoKvCache reads a record whose chunks are missing as absent after one read of 10 chunk keys", async () => {
  using kv = await Deno.openKv(":memory:");
  const { store, seen } = counting(kv);
  const cache = new DenoKvCache(store, { maxValueBytes: 2 ** 30 });
  const s = 2 ** 30; // 17,477 chunks claimed, none written
  await kv.set(["aoai-cache", "k"], { e: 0, s, n: Math.ceil(s / CHUNK), id: "x" });
  assert.equal(await cache.get("k"), null);
  // get() reads the record with kv.get(); one getMany() of the first 10 chunk keys follows.
  assert.deepEqual(seen, { calls: 1, keys: 10 });
});

Deno.test("DenoKvCache still reads a value of 25 chunks whole (first 10 chunks, then the rest)", async () => {
  using kv = await Deno.openKv(":memory:");
  const { store, seen } = counting(kv);
  const cache = new DenoKvCache(store);
  const value = new Uint8Array(25 * CHUNK - 7).map((_, i) => i % 251);
  await cache.set("k", value);
  const got = await cache.get("k");
  assert.equal(got?.byteLength, value.byteLength);
  assert.ok(got!.every((b, i) => b === value[i]), "the bytes read back differ");
  // Chunks 0-9, then 10-19 and 20-24 (the record through kv.get()).
  assert.deepEqual(seen, { calls: 3, keys: 25 });
  // A missing chunk past the first batch still reads as absent.
  const id = ((await kv.get(["aoai-cache", "k"])).value as { id: string }).id;
  await kv.delete(["aoai-cache", "k", id, 17]);
  assert.equal(await cache.get("k"), null);
});
