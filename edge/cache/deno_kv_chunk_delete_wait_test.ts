/**
 * DenoKvCache.delete() and an overwriting set() settle only once the old value's chunks are
 * deleted: on Deno Deploy an isolate may stop after the response, so work left running after
 * the awaited call could be lost and leave chunks behind. Chunk deletes are held by a wrapper of
 * a real in-memory KV; nothing sleeps.
 */
import assert from "node:assert/strict";
import { DenoKvCache } from "./deno_kv.ts";

/** The real `kv`, except that chunk deletes (4-part keys) wait for `release()`. */
function heldChunkDeletes(kv: Deno.Kv, count: number) {
  const gate = Promise.withResolvers<void>();
  const reached = Promise.withResolvers<void>();
  let calls = 0;
  const wrapped = new Proxy(kv, {
    get(target, prop) {
      const real = Reflect.get(target, prop, target);
      if (prop === "delete") {
        return async (key: Deno.KvKey) => {
          if (key.length === 4) {
            if (++calls === count) reached.resolve();
            await gate.promise;
          }
          return await target.delete(key);
        };
      }
      return typeof real === "function" ? real.bind(target) : real;
    },
  });
  return { kv: wrapped, reached: reached.promise, release: () => gate.resolve() };
}

async function chunkCount(kv: Deno.Kv): Promise<number> {
  let n = 0;
  for await (const entry of kv.list({ prefix: ["p"] })) if (entry.key.length === 4) n++;
  return n;
}

for (const call of ["delete", "set"] as const) {
  Deno.test(`DenoKvCache.${call}() settles only after the old value's chunks are deleted`, async () => {
    using kv = await Deno.openKv(":memory:");
    await new DenoKvCache(kv, { prefix: ["p"] }).set("k", new Uint8Array(130_000)); // 3 chunks
    const held = heldChunkDeletes(kv, 3);
    const cache = new DenoKvCache(held.kv, { prefix: ["p"] });
    let settled = false;
    const done = (call === "delete" ? cache.delete("k") : cache.set("k", new Uint8Array(4)))
      .then(() => settled = true);
    await held.reached;
    await kv.get(["p", "k"]); // a KV round trip: time for a call that did not wait to settle
    assert.equal(settled, false, `${call}() settled with its chunk deletes still running`);
    held.release();
    await done;
    assert.equal(await chunkCount(kv), 0);
  });
}
