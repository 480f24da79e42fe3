import assert from "node:assert/strict";
import { WorkersKvCache, type WorkersKvNamespace } from "./workers_kv.ts";

interface Put {
  key: string;
  expirationTtl: number | undefined;
}

/** A binding that behaves like Workers KV: refuses expirationTtl < 60 and keys > 512 bytes. */
function fakeKv(): WorkersKvNamespace & { data: Map<string, ArrayBuffer>; puts: Put[] } {
  const data = new Map<string, ArrayBuffer>();
  const puts: Put[] = [];
  return {
    data,
    puts,
    get(key, type) {
      assert.equal(type, "arrayBuffer");
      const v = data.get(key);
      return Promise.resolve(v ? v.slice(0) : null);
    },
    put(key, value, options) {
      if (new TextEncoder().encode(key).byteLength > 512) throw new Error("key too long");
      const ttl = options?.expirationTtl;
      if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 60)) {
        throw new Error("expirationTtl must be an integer >= 60");
      }
      // workerd takes expirationTtl as a 32-bit int (as miniflare 4 shows).
      if (ttl !== undefined && ttl > 2_147_483_647) {
        throw new TypeError("Value out of range. Must be between -2147483648 and 2147483647");
      }
      puts.push({ key, expirationTtl: ttl });
      const view = value instanceof Uint8Array ? value : new Uint8Array(value);
      data.set(key, view.slice().buffer);
      return Promise.resolve();
    },
    delete(key) {
      data.delete(key);
      return Promise.resolve();
    },
  };
}

Deno.test("WorkersKvCache.get() returns the bytes set() wrote and null for absent keys", async () => {
  const kv = fakeKv();
  const cache = new WorkersKvCache(kv);
  await cache.set("a", new Uint8Array([1, 2, 3]));
  assert.deepEqual(await cache.get("a"), new Uint8Array([1, 2, 3]));
  assert.equal(await cache.get("b"), null);
  assert.deepEqual([...kv.data.keys()], ["aoai-cache:a"]);
  assert.equal(kv.puts[0].expirationTtl, undefined);
});

Deno.test("WorkersKvCache.set() clamps expirationTtl to 60 s and get() enforces the real TTL", async () => {
  const kv = fakeKv();
  let now = 5_000;
  const cache = new WorkersKvCache(kv, { now: () => now });
  await cache.set("k", new Uint8Array([9]), { ttlSeconds: 5 });
  await cache.set("long", new Uint8Array([8]), { ttlSeconds: 3600.5 });
  assert.deepEqual(kv.puts.map((p) => p.expirationTtl), [60, 3601]);
  now += 4_999;
  assert.deepEqual(await cache.get("k"), new Uint8Array([9]));
  now += 1;
  assert.equal(await cache.get("k"), null);
  assert.deepEqual(await cache.getMany(["k", "long"]), [null, new Uint8Array([8])]);
});

Deno.test("WorkersKvCache refuses keys over 512 bytes with a RangeError", async () => {
  const cache = new WorkersKvCache(fakeKv(), { prefix: "p:" });
  await cache.set("x".repeat(510), new Uint8Array([1]));
  await assert.rejects(cache.set("x".repeat(511), new Uint8Array([1])), (err: unknown) => {
    assert.ok(err instanceof RangeError);
    assert.match(err.message, /512 bytes/);
    return true;
  });
  await assert.rejects(cache.get("é".repeat(256)), RangeError);
});

Deno.test("WorkersKvCache.get() ignores values it did not write and delete() removes", async () => {
  const kv = fakeKv();
  const cache = new WorkersKvCache(kv);
  kv.data.set("aoai-cache:foreign", new TextEncoder().encode("plain text value").buffer);
  assert.equal(await cache.get("foreign"), null);
  await cache.set("k", new Uint8Array(0));
  assert.deepEqual(await cache.get("k"), new Uint8Array(0));
  await cache.delete("k");
  assert.equal(await cache.get("k"), null);
});

Deno.test("new WorkersKvCache() throws a TypeError naming the binding when given none", () => {
  assert.throws(
    () => new WorkersKvCache(undefined as unknown as WorkersKvNamespace),
    /KV namespace binding/,
  );
});

Deno.test("WorkersKvCache advertises the per-invocation operation limit cache() respects", () => {
  assert.equal(new WorkersKvCache(fakeKv()).maxOperationsPerRequest, 1_000);
  assert.equal(
    new WorkersKvCache(fakeKv(), { maxOperationsPerRequest: 50 }).maxOperationsPerRequest,
    50,
  );
});

Deno.test("WorkersKvCache.set() with ttlSeconds Infinity stores the value without expiry", async () => {
  const kv = fakeKv();
  let now = 0;
  const cache = new WorkersKvCache(kv, { now: () => now });
  await cache.set("k", new Uint8Array([4]), { ttlSeconds: Infinity });
  assert.equal(kv.puts[0].expirationTtl, undefined);
  now = 1e15;
  assert.deepEqual(await cache.get("k"), new Uint8Array([4]));
});

for (const ttlSeconds of [2 ** 31, 1e10, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE]) {
  Deno.test(`WorkersKvCache.set() with a huge ttlSeconds (${ttlSeconds}) stores, and get() reads it`, async () => {
    const kv = fakeKv();
    let now = 1_000;
    const cache = new WorkersKvCache(kv, { now: () => now });
    await cache.set("k", new Uint8Array([5]), { ttlSeconds });
    assert.equal(kv.puts[0].expirationTtl, undefined, "no expirationTtl workerd would refuse");
    now = 1e12; // ~30 years on
    assert.deepEqual(await cache.get("k"), new Uint8Array([5]));
  });
}

Deno.test("WorkersKvCache.set() with the largest expirationTtl workerd takes still sends it", async () => {
  const kv = fakeKv();
  let now = 0;
  const cache = new WorkersKvCache(kv, { now: () => now });
  await cache.set("k", new Uint8Array([6]), { ttlSeconds: 2_147_483_647 });
  assert.equal(kv.puts[0].expirationTtl, 2_147_483_647);
  now = 2_147_483_647_000;
  assert.equal(await cache.get("k"), null);
});
