/**
 * WorkersKvCache takes values up to WORKERS_KV_MAX_VALUE_BYTES (25 MiB less its 9-byte header):
 * the stored entry is then exactly 25 MiB; one byte more is a RangeError, and a value that is
 * not a Uint8Array is a TypeError. Nothing is written for a refused value.
 */
import assert from "node:assert/strict";
import {
  WORKERS_KV_MAX_VALUE_BYTES,
  WorkersKvCache,
  type WorkersKvNamespace,
} from "./workers_kv.ts";

function recordingKv() {
  const sizes: number[] = [];
  const kv: WorkersKvNamespace = {
    get: () => Promise.resolve(null),
    put: (_key, value) => {
      sizes.push(value.byteLength);
      return Promise.resolve();
    },
    delete: () => Promise.resolve(),
  };
  return { kv, sizes };
}

Deno.test("WorkersKvCache stores a value of 25 MiB - 9 bytes as a 25 MiB entry, and refuses one byte more", async () => {
  assert.equal(WORKERS_KV_MAX_VALUE_BYTES, 25 * 1024 * 1024 - 9);
  const { kv, sizes } = recordingKv();
  const cache = new WorkersKvCache(kv, { recentBytes: 0 });
  await assert.rejects(cache.set("k", new Uint8Array(25 * 1024 * 1024 - 8)), (err: unknown) => {
    assert.ok(err instanceof RangeError);
    assert.match(err.message, /value of 26214392 bytes is over the Workers KV limit \(25 MiB\)/);
    return true;
  });
  assert.deepEqual(sizes, []);
  await cache.set("k", new Uint8Array(25 * 1024 * 1024 - 9));
  assert.deepEqual(sizes, [25 * 1024 * 1024]);
});

Deno.test("WorkersKvCache.set() refuses a value that is not a Uint8Array with a TypeError", async () => {
  const { kv, sizes } = recordingKv();
  const cache = new WorkersKvCache(kv);
  for (const value of [[1, 2], "ab", new ArrayBuffer(2), null]) {
    await assert.rejects(cache.set("k", value as unknown as Uint8Array), (err: unknown) => {
      assert.ok(err instanceof TypeError, String(err));
      assert.match(err.message, /values must be Uint8Array bytes/);
      return true;
    });
  }
  assert.deepEqual(sizes, []);
});
