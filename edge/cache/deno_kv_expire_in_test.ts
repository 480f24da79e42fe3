/**
 * DenoKvCache hands Deno KV an `expireIn` of the TTL in whole ms, on the record and on every
 * chunk, so KV removes expired entries itself: none without a TTL, and none past 1e15 ms
 * (Deno KV refuses an expiry past its last date; the stored expiry still holds). The writes are
 * recorded through a wrapper of a real in-memory KV.
 */
import assert from "node:assert/strict";
import { DenoKvCache } from "./deno_kv.ts";

type Options = { expireIn?: number } | undefined;

/** The real `kv`, recording the options of every `set` (plain or in an atomic operation). */
function recording(kv: Deno.Kv) {
  const sets: { chunk: boolean; options: Options }[] = [];
  const record = (key: Deno.KvKey, options: Options) =>
    sets.push({ chunk: key.length > 2, options });
  const wrapped = new Proxy(kv, {
    get(target, prop) {
      const real = Reflect.get(target, prop, target);
      if (prop === "set") {
        return (key: Deno.KvKey, value: unknown, options?: Options) => {
          record(key, options);
          return target.set(key, value, options);
        };
      }
      if (prop === "atomic") {
        return () => {
          const op = target.atomic();
          const proxy: Deno.AtomicOperation = new Proxy(op, {
            get(o, p) {
              const fn = Reflect.get(o, p, o);
              if (typeof fn !== "function") return fn;
              return (...args: unknown[]) => {
                if (p === "set") record(args[0] as Deno.KvKey, args[2] as Options);
                const result = fn.apply(o, args);
                return result === o ? proxy : result; // chained calls stay recorded
              };
            },
          });
          return proxy;
        };
      }
      return typeof real === "function" ? real.bind(target) : real;
    },
  });
  return { kv: wrapped, sets };
}

Deno.test("DenoKvCache.set() sends expireIn of the TTL in ms on the record and each chunk", async () => {
  using kv = await Deno.openKv(":memory:");
  const { kv: rec, sets } = recording(kv);
  const cache = new DenoKvCache(rec, { prefix: ["p"] });
  await cache.set("small", new Uint8Array(4), { ttlSeconds: 60 });
  await cache.set("big", new Uint8Array(70_000), { ttlSeconds: 1.0005 });
  assert.deepEqual(sets, [
    { chunk: false, options: { expireIn: 60_000 } },
    { chunk: true, options: { expireIn: 1_001 } },
    { chunk: true, options: { expireIn: 1_001 } },
    { chunk: false, options: { expireIn: 1_001 } },
  ]);
});

Deno.test("DenoKvCache.set() sends no expireIn without a TTL, and none past 1e15 ms", async () => {
  using kv = await Deno.openKv(":memory:");
  const { kv: rec, sets } = recording(kv);
  const cache = new DenoKvCache(rec, { prefix: ["p"] });
  await cache.set("none", new Uint8Array(4));
  await cache.set("max", new Uint8Array(4), { ttlSeconds: 1e12 }); // 1e15 ms: still sent
  await cache.set("over", new Uint8Array(4), { ttlSeconds: 1e12 + 0.001 }); // 1e15 + 1 ms
  assert.deepEqual(sets.map((s) => s.options), [undefined, { expireIn: 1e15 }, undefined]);
  assert.deepEqual(await cache.getMany(["none", "max", "over"]), [
    new Uint8Array(4),
    new Uint8Array(4),
    new Uint8Array(4),
  ]);
});
