/**
 * DenoKvCache.set() of a chunked value commits its record only after every chunk was written: a
 * chunk write that fails rejects set() and leaves no record naming chunks that are not there
 * (the key keeps its previous value).
 */
import assert from "node:assert/strict";
import { DenoKvCache } from "./deno_kv.ts";

/** The real `kv`, except that a plain `set` of a chunk key (4 parts) rejects. */
function failingChunkWrites(kv: Deno.Kv): Deno.Kv {
  return new Proxy(kv, {
    get(target, prop) {
      const real = Reflect.get(target, prop, target);
      if (prop === "set") {
        return (key: Deno.KvKey, value: unknown, options?: { expireIn?: number }) =>
          key.length === 4
            ? Promise.reject(new Error("KV write failed (test)"))
            : target.set(key, value, options);
      }
      return typeof real === "function" ? real.bind(target) : real;
    },
  });
}

Deno.test("DenoKvCache.set() whose chunk write fails rejects and keeps the previous value", async () => {
  using kv = await Deno.openKv(":memory:");
  await new DenoKvCache(kv, { prefix: ["p"] }).set("k", new Uint8Array([1, 2, 3]));
  const cache = new DenoKvCache(failingChunkWrites(kv), { prefix: ["p"] });
  await assert.rejects(cache.set("k", new Uint8Array(70_000)), /KV write failed \(test\)/);
  assert.deepEqual(await cache.get("k"), new Uint8Array([1, 2, 3]));
  await assert.rejects(cache.set("new", new Uint8Array(70_000)), /KV write failed \(test\)/);
  assert.equal((await kv.get(["p", "new"])).versionstamp, null);
});
