/**
 * new DenoKvCache() checks its options: `prefix` must be an array of strings or numbers (a
 * TypeError saying so otherwise), and `maxValueBytes` may be as small as 1.
 */
import assert from "node:assert/strict";
import { DenoKvCache, type DenoKvCacheOptions } from "./deno_kv.ts";

Deno.test("new DenoKvCache() refuses a prefix that is not an array of strings or numbers", async () => {
  using kv = await Deno.openKv(":memory:");
  const bad = ["cache", [true], ["ok", null], [1n]] as unknown as DenoKvCacheOptions["prefix"][];
  for (const prefix of bad) {
    assert.throws(() => new DenoKvCache(kv, { prefix }), (err: unknown) => {
      assert.ok(err instanceof TypeError, String(err));
      assert.match(err.message, /prefix must be an array of strings or numbers/);
      return true;
    });
  }
});

Deno.test("new DenoKvCache() takes maxValueBytes 1: a 1-byte value is stored, 2 bytes refused", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv, { maxValueBytes: 1 });
  await cache.set("k", new Uint8Array([7]));
  assert.deepEqual(await cache.get("k"), new Uint8Array([7]));
  await assert.rejects(cache.set("k", new Uint8Array(2)), RangeError);
});
