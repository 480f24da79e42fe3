/**
 * When WorkersKvCache.set() sends a `put` for a key this isolate wrote lately, with a binding on
 * which KV never shows the writes (so only the isolate's memory serves them) and an injected
 * clock: other bytes (also of another length) are written; the same bytes are not within a
 * second of the last put settling, nor with the same TTL ("none" and Infinity being the same),
 * and are written with another TTL after that second.
 */
import assert from "node:assert/strict";
import { WorkersKvCache, type WorkersKvNamespace } from "./workers_kv.ts";

function laggingKv() {
  const puts: { key: string; ttl?: number }[] = [];
  let hold: Promise<void> | undefined;
  const kv: WorkersKvNamespace = {
    get: () => Promise.resolve(null), // KV never shows the writes: only memory serves them
    put: (key, _value, options) => {
      puts.push({ key, ttl: options?.expirationTtl });
      return hold ?? Promise.resolve();
    },
    delete: () => Promise.resolve(),
  };
  return { kv, puts, holdPuts: (p: Promise<void> | undefined) => hold = p };
}

Deno.test("WorkersKvCache.set() writes a longer value that starts with the kept bytes", async () => {
  const { kv, puts } = laggingKv();
  let now = 1_000_000;
  const cache = new WorkersKvCache(kv, { now: () => now });
  await cache.set("k", new Uint8Array([1]));
  now += 2_000;
  await cache.set("k", new Uint8Array([1, 2]));
  assert.equal(puts.length, 2);
  assert.deepEqual(await cache.get("k"), new Uint8Array([1, 2]));
});

Deno.test("WorkersKvCache.set() of the same bytes with another TTL: no put 999 ms after the last, a put at 1,000 ms", async () => {
  const { kv, puts } = laggingKv();
  let now = 1_000_000;
  const cache = new WorkersKvCache(kv, { now: () => now });
  const v = new Uint8Array([3, 4]);
  await cache.set("k", v, { ttlSeconds: 100 });
  now += 999;
  await cache.set("k", v, { ttlSeconds: 200 });
  assert.deepEqual(puts.map((p) => p.ttl), [100]);
  now += 1;
  await cache.set("k", v, { ttlSeconds: 200 });
  assert.deepEqual(puts.map((p) => p.ttl), [100, 200]);
});

Deno.test("WorkersKvCache.set() takes no TTL and ttlSeconds Infinity as the same TTL, and writes a TTL added later", async () => {
  const { kv, puts } = laggingKv();
  let now = 1_000_000;
  const cache = new WorkersKvCache(kv, { now: () => now });
  const v = new Uint8Array([5]);
  await cache.set("k", v);
  now += 2_000;
  await cache.set("k", v, { ttlSeconds: Infinity });
  assert.deepEqual(puts.map((p) => p.ttl), [undefined]);
  now += 2_000;
  await cache.set("k", v, { ttlSeconds: 1 });
  assert.deepEqual(puts.map((p) => p.ttl), [undefined, 60]);
});

Deno.test("WorkersKvCache counts a slow put's second and 60 s from when it settled, not when it started", async () => {
  const { kv, puts, holdPuts } = laggingKv();
  let now = 1_000_000;
  const cache = new WorkersKvCache(kv, { now: () => now });
  const v = new Uint8Array([6]);
  const gate = Promise.withResolvers<void>();
  holdPuts(gate.promise);
  const writing = cache.set("k", v, { ttlSeconds: 1_000 });
  now += 30_000; // the put takes 30 s
  gate.resolve();
  await writing;
  holdPuts(undefined);
  now += 500; // half a second after the put settled: another TTL is not written yet
  await cache.set("k", v, { ttlSeconds: 2_000 });
  assert.equal(puts.length, 1);
  now += 44_500; // 75 s after the put started, 45 s after it settled: still served
  assert.deepEqual(await cache.get("k"), v);
  now += 15_000; // 60 s after it settled: KV shows it by now; memory lets go
  assert.equal(await cache.get("k"), null);
});
