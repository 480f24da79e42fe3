/**
 * WorkersKvCache's argument checks, each a TypeError that says what to pass: a binding without
 * get/put/delete, a prefix that is not a string, an empty or non-string key, a ttlSeconds that
 * is not a positive number. A fractional TTL under a second is positive: it is taken.
 */
import assert from "node:assert/strict";
import { WorkersKvCache, type WorkersKvNamespace } from "./workers_kv.ts";

function recordingKv() {
  const puts: { key: string; ttl?: number }[] = [];
  const kv: WorkersKvNamespace = {
    get: () => Promise.resolve(null),
    put: (key, _value, options) => {
      puts.push({ key, ttl: options?.expirationTtl });
      return Promise.resolve();
    },
    delete: () => Promise.resolve(),
  };
  return { kv, puts };
}

const typeError = (pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof TypeError, String(err));
  assert.match(err.message, pattern);
  return true;
};

Deno.test("new WorkersKvCache() refuses a binding without get, put or delete", () => {
  const fn = () => Promise.resolve(null);
  const bindings = [
    null,
    "AOAI_CACHE",
    { put: fn, delete: fn },
    { get: fn, delete: fn },
    { get: fn, put: fn },
    { get: 1, put: fn, delete: fn },
  ];
  for (const binding of bindings) {
    assert.throws(
      () => new WorkersKvCache(binding as unknown as WorkersKvNamespace),
      typeError(/pass a KV namespace binding/),
      JSON.stringify(binding),
    );
  }
});

Deno.test("new WorkersKvCache() refuses a prefix that is not a string", () => {
  for (const prefix of [5, ["a"], {}]) {
    assert.throws(
      () => new WorkersKvCache(recordingKv().kv, { prefix: prefix as unknown as string }),
      typeError(/prefix must be a string/),
    );
  }
});

Deno.test("WorkersKvCache refuses an empty or non-string key on every method", async () => {
  const { kv, puts } = recordingKv();
  const cache = new WorkersKvCache(kv);
  for (const key of ["", 1 as unknown as string, undefined as unknown as string]) {
    const refused = typeError(/keys must be non-empty strings/);
    await assert.rejects(cache.get(key), refused);
    await assert.rejects(cache.getMany(["a", key]), refused);
    await assert.rejects(cache.set(key, new Uint8Array(1)), refused);
    await assert.rejects(cache.delete(key), refused);
  }
  assert.deepEqual(puts, []);
});

Deno.test("WorkersKvCache.set() refuses a ttlSeconds that is not a positive number, takes 0.5 as 60 s in KV", async () => {
  const { kv, puts } = recordingKv();
  const cache = new WorkersKvCache(kv);
  for (const ttlSeconds of [0, -1, NaN, -Infinity, "60" as unknown as number]) {
    await assert.rejects(
      cache.set("k", new Uint8Array(1), { ttlSeconds }),
      typeError(/ttlSeconds must be a positive number of seconds/),
      String(ttlSeconds),
    );
  }
  assert.deepEqual(puts, []);
  await cache.set("k", new Uint8Array(1), { ttlSeconds: 0.5 });
  assert.deepEqual(puts, [{ key: "aoai-cache:k", ttl: 60 }]);
});
