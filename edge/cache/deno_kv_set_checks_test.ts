/**
 * DenoKvCache.set()'s checks: a value that is not a Uint8Array and a ttlSeconds that is not a
 * positive number are TypeErrors with nothing written; a TTL under a second (0.5) is positive
 * and taken.
 */
import assert from "node:assert/strict";
import { DenoKvCache } from "./deno_kv.ts";

async function count(kv: Deno.Kv): Promise<number> {
  let n = 0;
  for await (const _ of kv.list({ prefix: [] })) n++;
  return n;
}

Deno.test("DenoKvCache.set() refuses a value that is not a Uint8Array with a TypeError", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv);
  for (const value of [[1, 2], "ab", new ArrayBuffer(2), null]) {
    await assert.rejects(cache.set("k", value as unknown as Uint8Array), (err: unknown) => {
      assert.ok(err instanceof TypeError, String(err));
      assert.match(err.message, /values must be Uint8Array bytes/);
      return true;
    });
  }
  assert.equal(await count(kv), 0);
});

Deno.test("DenoKvCache.set() refuses a ttlSeconds that is not positive and takes 0.5 s", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = 1_000;
  const cache = new DenoKvCache(kv, { now: () => now });
  for (const ttlSeconds of [0, -1, NaN, -Infinity, "60" as unknown as number]) {
    await assert.rejects(cache.set("k", new Uint8Array(1), { ttlSeconds }), (err: unknown) => {
      assert.ok(err instanceof TypeError, String(err));
      assert.match(err.message, /ttlSeconds must be a positive number of seconds/);
      return true;
    }, String(ttlSeconds));
  }
  assert.equal(await count(kv), 0);
  await cache.set("k", new Uint8Array([1]), { ttlSeconds: 0.5 });
  now += 499;
  assert.deepEqual(await cache.get("k"), new Uint8Array([1]));
  now += 1;
  assert.equal(await cache.get("k"), null);
});
