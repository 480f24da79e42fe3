import assert from "node:assert/strict";
import { cache, type CacheOptions } from "../../src/middleware/cache.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";

const bad = (options: unknown, message: RegExp) =>
  assert.throws(() => cache(options as CacheOptions), { name: "TypeError", message });

Deno.test("cache() names what to pass when the options or the store are missing or not objects", () => {
  const what = /^cache\(\): pass \{ store \} with a CacheStore/;
  for (const options of [undefined, null, "store", 7, {}, { store: "kv" }]) {
    bad(options, what);
  }
});

Deno.test("cache({ store: null }) names what to pass (it failed reading null.get)", () => {
  bad({ store: null }, /^cache\(\): pass \{ store \} with a CacheStore/);
});

Deno.test("cache() refuses a store without get() or without set()", () => {
  const what = /^cache\(\): store must implement get\(key\) and set\(key, value, options\)$/;
  const store = new MemoryCache();
  bad({ store: { get: store.get.bind(store) } }, what);
  bad({ store: { set: store.set.bind(store) } }, what);
  bad({ store: { get: 1, set: store.set.bind(store) } }, what);
});

Deno.test("cache() refuses a waitUntil or onStoreError that is not a function", () => {
  const store = new MemoryCache();
  bad({ store, waitUntil: "ctx.waitUntil" }, /^cache\(\): waitUntil must be a function$/);
  bad({ store, onStoreError: {} }, /^cache\(\): onStoreError must be a function$/);
  assert.equal(
    typeof cache({ store, waitUntil: undefined, onStoreError: null as never }),
    "function",
  );
});

Deno.test("cache() takes only positive numbers for ttlSeconds, batchSize, storeTimeoutMs and maxItems", () => {
  const store = new MemoryCache();
  for (const name of ["ttlSeconds", "batchSize", "storeTimeoutMs", "maxItems"]) {
    for (const value of [0, -1, Number.NaN, "10", null]) {
      bad({ store, [name]: value }, new RegExp(`^cache\\(\\): ${name} must be a positive number$`));
    }
    for (const value of [0.5, 1, Infinity]) {
      assert.equal(typeof cache({ store, [name]: value }), "function", `${name}: ${value}`);
    }
  }
});
