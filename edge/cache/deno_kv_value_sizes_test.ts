/**
 * DenoKvCache value sizes: an empty value round-trips, a value of exactly `maxValueBytes` is
 * stored and read back, and the default limit is 8 MiB.
 */
import assert from "node:assert/strict";
import { DenoKvCache } from "./deno_kv.ts";

Deno.test("DenoKvCache stores and reads an empty value (not a miss)", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv);
  await cache.set("empty", new Uint8Array(0));
  assert.deepEqual(await cache.get("empty"), new Uint8Array(0));
  assert.deepEqual(await cache.getMany(["empty"]), [new Uint8Array(0)]);
});

Deno.test("DenoKvCache stores and reads a value of exactly maxValueBytes", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv, { maxValueBytes: 10 });
  await cache.set("small", new Uint8Array(10).fill(3));
  assert.deepEqual(await cache.get("small"), new Uint8Array(10).fill(3));
  const chunked = new DenoKvCache(kv, { prefix: ["c"], maxValueBytes: 70_000 });
  await chunked.set("big", new Uint8Array(70_000).fill(4));
  assert.deepEqual(await chunked.get("big"), new Uint8Array(70_000).fill(4));
});

Deno.test("DenoKvCache takes values up to 8 MiB by default and refuses one byte more", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv);
  const max = 8 * 1024 * 1024;
  await assert.rejects(cache.set("k", new Uint8Array(max + 1)), (err: unknown) => {
    assert.ok(err instanceof RangeError);
    assert.match(err.message, /value of 8388609 bytes is over maxValueBytes \(8388608\)/);
    return true;
  });
  const value = new Uint8Array(max).fill(9);
  await cache.set("k", value);
  assert.deepEqual(await cache.get("k"), value);
});
