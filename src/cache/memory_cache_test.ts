import assert from "node:assert/strict";
import { MemoryCache } from "./memory_cache.ts";

const bytes = (...xs: number[]) => new Uint8Array(xs);

Deno.test("MemoryCache.get() returns the stored bytes and null for absent keys", async () => {
  const cache = new MemoryCache();
  await cache.set("a", bytes(1, 2, 3));
  assert.deepEqual(await cache.get("a"), bytes(1, 2, 3));
  assert.equal(await cache.get("b"), null);
});

Deno.test("MemoryCache stores copies so callers cannot corrupt values", async () => {
  const cache = new MemoryCache();
  const value = bytes(1, 2, 3);
  await cache.set("a", value);
  value[0] = 9;
  const read = await cache.get("a");
  assert.ok(read);
  read[1] = 9;
  assert.deepEqual(await cache.get("a"), bytes(1, 2, 3));
});

Deno.test("MemoryCache.get() returns null once the TTL has passed", async () => {
  let now = 1_000;
  const cache = new MemoryCache({ now: () => now });
  await cache.set("a", bytes(1), { ttlSeconds: 10 });
  now += 9_999;
  assert.deepEqual(await cache.get("a"), bytes(1));
  now += 1;
  assert.equal(await cache.get("a"), null);
  assert.equal(cache.size, 0);
  assert.equal(cache.bytes, 0);
});

Deno.test("MemoryCache uses defaultTtlSeconds when set() gives none", async () => {
  let now = 0;
  const cache = new MemoryCache({ now: () => now, defaultTtlSeconds: 5 });
  await cache.set("a", bytes(1));
  await cache.set("b", bytes(2), { ttlSeconds: 50 });
  now = 6_000;
  assert.equal(await cache.get("a"), null);
  assert.deepEqual(await cache.get("b"), bytes(2));
});

Deno.test("MemoryCache evicts the least recently used entry when over maxBytes", async () => {
  // Each entry: 10 value bytes + key "k?" (2 chars × 2) = 14 bytes; cap fits 3.
  const cache = new MemoryCache({ maxBytes: 42 });
  const ten = new Uint8Array(10);
  await cache.set("k1", ten);
  await cache.set("k2", ten);
  await cache.set("k3", ten);
  assert.equal(cache.bytes, 42);
  await cache.get("k1"); // k1 is now most recent; k2 is least recent
  await cache.set("k4", ten);
  assert.equal(await cache.get("k2"), null);
  assert.ok(await cache.get("k1"));
  assert.ok(await cache.get("k3"));
  assert.ok(await cache.get("k4"));
  assert.equal(cache.size, 3);
  assert.equal(cache.bytes, 42);
});

Deno.test("MemoryCache evicts expired entries before live ones when over maxBytes", async () => {
  let now = 0;
  const cache = new MemoryCache({ maxBytes: 42, now: () => now });
  const ten = new Uint8Array(10);
  await cache.set("k1", ten); // least recently used, no expiry
  await cache.set("k2", ten, { ttlSeconds: 5 });
  await cache.set("k3", ten, { ttlSeconds: 60 });
  now = 10_000; // k2 has expired, unread
  await cache.set("k4", ten);
  assert.ok(await cache.get("k1"), "the live LRU entry stays");
  assert.ok(await cache.get("k3"));
  assert.ok(await cache.get("k4"));
  assert.equal(cache.size, 3);
  assert.equal(cache.bytes, 42);
  // Later, with nothing expired, the least recently used goes again.
  await cache.set("k5", ten);
  assert.equal(await cache.get("k1"), null);
  now = 70_000; // k3 expired: it goes before k4 and k5
  await cache.set("k6", ten);
  assert.equal(await cache.get("k3"), null);
  assert.ok(await cache.get("k4"));
  assert.ok(await cache.get("k5"));
  assert.ok(await cache.get("k6"));
});

Deno.test("MemoryCache.set() skips a value larger than maxBytes and drops the old one", async () => {
  const cache = new MemoryCache({ maxBytes: 16 });
  await cache.set("a", bytes(1));
  await cache.set("a", new Uint8Array(100));
  assert.equal(await cache.get("a"), null);
  assert.equal(cache.bytes, 0);
});

Deno.test("MemoryCache.set() replaces a value and keeps the byte count right", async () => {
  const cache = new MemoryCache();
  await cache.set("a", new Uint8Array(10));
  await cache.set("a", new Uint8Array(4));
  assert.equal(cache.size, 1);
  assert.equal(cache.bytes, 4 + 2);
});

Deno.test("MemoryCache.getMany() answers in key order with nulls for misses", async () => {
  const cache = new MemoryCache();
  await cache.set("a", bytes(1));
  await cache.set("c", bytes(3));
  assert.deepEqual(await cache.getMany(["c", "b", "a"]), [bytes(3), null, bytes(1)]);
});

Deno.test("MemoryCache.delete() removes a value and ignores absent keys", async () => {
  const cache = new MemoryCache();
  await cache.set("a", bytes(1));
  await cache.delete("a");
  await cache.delete("nope");
  assert.equal(await cache.get("a"), null);
  assert.equal(cache.bytes, 0);
});

Deno.test("MemoryCache.set() stores nothing when ttlSeconds is 0", async () => {
  const cache = new MemoryCache();
  await cache.set("a", bytes(1), { ttlSeconds: 0 });
  assert.equal(await cache.get("a"), null);
});

Deno.test("MemoryCache constructor throws a TypeError for a bad maxBytes", () => {
  assert.throws(() => new MemoryCache({ maxBytes: 0 }), /maxBytes must be a positive/);
  assert.throws(() => new MemoryCache({ maxBytes: Number.NaN }), TypeError);
});

Deno.test("MemoryCache.set() rejects a value that is not a Uint8Array", async () => {
  const cache = new MemoryCache();
  await assert.rejects(
    () => cache.set("a", "text" as unknown as Uint8Array),
    /must be a Uint8Array/,
  );
});
