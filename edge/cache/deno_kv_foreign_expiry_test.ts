/**
 * DenoKvCache reads a record whose expiry is not a number (a foreign or corrupt entry under its
 * prefix) as absent, even when that expiry would compare as "later than now".
 */
import assert from "node:assert/strict";
import { DenoKvCache } from "./deno_kv.ts";

Deno.test("DenoKvCache reads a record whose expiry is a string or a bigint as absent", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv);
  const v = new Uint8Array([1, 2, 3]);
  await kv.set(["aoai-cache", "string"], { e: "99999999999999999", v, s: 3 });
  await kv.set(["aoai-cache", "bigint"], { e: 10n ** 20n, v, s: 3 });
  await kv.set(["aoai-cache", "good"], { e: 0, v, s: 3 });
  assert.deepEqual(await cache.getMany(["string", "bigint", "good"]), [null, null, v]);
});
