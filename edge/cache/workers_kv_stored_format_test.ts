/**
 * WorkersKvCache's stored format, which other isolates (and other deploys) read: byte 0xa1, the
 * expiry in epoch ms as a little-endian float64 (0: none), then the value. An entry of just the
 * 9-byte header is an empty value; another first byte, or fewer bytes, reads as absent.
 */
import assert from "node:assert/strict";
import { WorkersKvCache, type WorkersKvNamespace } from "./workers_kv.ts";

function entry(format: number, expiresAt: number, value: number[]): ArrayBuffer {
  const out = new Uint8Array(9 + value.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, format);
  view.setFloat64(1, expiresAt, true);
  out.set(value, 9);
  return out.buffer;
}

function mapKv(data: Map<string, ArrayBuffer>): WorkersKvNamespace {
  return {
    get: (key) => Promise.resolve(data.get(key)?.slice(0) ?? null),
    put: (key, value) => {
      data.set(key, new Uint8Array(value).slice().buffer);
      return Promise.resolve();
    },
    delete: (key) => Promise.resolve(void data.delete(key)),
  };
}

Deno.test("WorkersKvCache reads entries another isolate wrote in the 0xa1 format", async () => {
  const data = new Map<string, ArrayBuffer>([
    ["aoai-cache:forever", entry(0xa1, 0, [1, 2, 3])],
    ["aoai-cache:later", entry(0xa1, 2_000, [4])],
    ["aoai-cache:past", entry(0xa1, 1_000, [5])],
    ["aoai-cache:empty", entry(0xa1, 0, [])],
    ["aoai-cache:other-format", entry(0xa2, 0, [6])],
    ["aoai-cache:short", new Uint8Array([0xa1, 0, 0, 0, 0, 0, 0, 0]).buffer],
  ]);
  const cache = new WorkersKvCache(mapKv(data), { now: () => 1_000 });
  assert.deepEqual(
    await cache.getMany(["forever", "later", "past", "empty", "other-format", "short"]),
    [new Uint8Array([1, 2, 3]), new Uint8Array([4]), null, new Uint8Array(0), null, null],
  );
});

Deno.test("WorkersKvCache writes the 0xa1 format: header byte, float64 expiry, value", async () => {
  const data = new Map<string, ArrayBuffer>();
  const cache = new WorkersKvCache(mapKv(data), { now: () => 1_000, recentBytes: 0 });
  await cache.set("k", new Uint8Array([7, 8]), { ttlSeconds: 2 });
  await cache.set("empty", new Uint8Array(0));
  assert.deepEqual(data.get("aoai-cache:k"), entry(0xa1, 3_000, [7, 8]));
  assert.deepEqual(data.get("aoai-cache:empty"), entry(0xa1, 0, []));
  assert.deepEqual(await cache.get("empty"), new Uint8Array(0));
});
