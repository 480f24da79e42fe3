/**
 * DenoKvCache's key checks: an empty or non-string key is a TypeError on every method, and a
 * key of 1,800 bytes is taken while 1,801 is a RangeError.
 */
import assert from "node:assert/strict";
import { DenoKvCache } from "./deno_kv.ts";

Deno.test("DenoKvCache refuses an empty or non-string key with a TypeError", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv);
  for (const key of ["", 1 as unknown as string, undefined as unknown as string]) {
    const refused = (err: unknown) => {
      assert.ok(err instanceof TypeError, String(err));
      assert.match(err.message, /keys must be non-empty strings/);
      return true;
    };
    await assert.rejects(cache.get(key), refused);
    await assert.rejects(cache.getMany(["a", key]), refused);
    await assert.rejects(cache.set(key, new Uint8Array(1)), refused);
    await assert.rejects(cache.delete(key), refused);
  }
  let entries = 0;
  for await (const _ of kv.list({ prefix: [] })) entries++;
  assert.equal(entries, 0);
});

Deno.test("DenoKvCache takes a key of 1,800 bytes and refuses 1,801 with a RangeError", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv);
  await cache.set("k".repeat(1_800), new Uint8Array([1]));
  assert.deepEqual(await cache.get("k".repeat(1_800)), new Uint8Array([1]));
  await assert.rejects(cache.set("k".repeat(1_801), new Uint8Array([1])), (err: unknown) => {
    assert.ok(err instanceof RangeError);
    assert.match(err.message, /key is longer than 1800 bytes/);
    return true;
  });
});
