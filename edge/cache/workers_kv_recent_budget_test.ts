/**
 * WorkersKvCache's memory of recent writes (`recentBytes`, default 4 MiB of key + value bytes),
 * on a binding where KV never shows the writes (so a `get()` answers from memory or not at all):
 * a write of exactly the budget is kept and one byte more is not; an expired entry and a
 * rewritten key's old value give their room back, so they do not push out a live entry.
 */
import assert from "node:assert/strict";
import { WorkersKvCache, type WorkersKvNamespace } from "./workers_kv.ts";

const lagging: WorkersKvNamespace = {
  get: () => Promise.resolve(null),
  put: () => Promise.resolve(),
  delete: () => Promise.resolve(),
};

Deno.test("WorkersKvCache keeps a write of exactly 4 MiB (key + value) by default, not one byte more", async () => {
  const cache = new WorkersKvCache(lagging);
  const key = "aoai-cache:k".length; // 12 bytes
  const fits = new Uint8Array(4 * 1024 * 1024 - key).fill(1);
  await cache.set("k", fits);
  await cache.set("j", new Uint8Array(4 * 1024 * 1024 - key + 1));
  // Sizes only: a failure message showing 4 MiB of bytes would take minutes to build.
  assert.equal((await cache.get("j"))?.byteLength, undefined, "one byte over: not kept");
  const kept = await cache.get("k");
  assert.equal(kept?.byteLength, fits.byteLength, "exactly 4 MiB: kept");
  assert.ok(kept.every((b) => b === 1));
});

Deno.test("WorkersKvCache: an expired recent entry gives its room back", async () => {
  let now = 1_000_000;
  const cache = new WorkersKvCache(lagging, { now: () => now, recentBytes: 100 });
  const value = (b: number) => new Uint8Array(28).fill(b); // 12-byte key + 28 = 40 bytes
  await cache.set("x", value(1));
  await cache.set("a", value(2), { ttlSeconds: 1 });
  now += 2_000;
  assert.equal(await cache.get("a"), null); // expired
  await cache.set("b", value(3)); // 80 of 100 bytes kept: x stays
  assert.deepEqual(await cache.getMany(["x", "b"]), [value(1), value(3)]);
});

Deno.test("WorkersKvCache: rewriting a kept key counts its bytes once", async () => {
  const cache = new WorkersKvCache(lagging, { recentBytes: 100 });
  const value = (b: number) => new Uint8Array(28).fill(b); // 40 bytes with the key
  await cache.set("x", value(1));
  await cache.set("a", value(2));
  await cache.set("a", value(3)); // still 80 of 100 bytes: x stays
  assert.deepEqual(await cache.getMany(["x", "a"]), [value(1), value(3)]);
});
