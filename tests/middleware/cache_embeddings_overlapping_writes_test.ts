// Two calls writing the same embeddings entry, the second while the first's write is in flight
// (the deployment was re-pointed in between, so the second fetched the input afresh). The first
// write finishing must not drop the second's entry from those being written: until the second
// write lands, a call is served that entry. The store (Deno KV) here answers reads with nothing,
// as a KV whose reads lag behind its writes does, and holds each call's writes at a gate.
import assert from "node:assert/strict";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";
import type { CacheStore } from "../../src/cache/types.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { deployment, embeddingsContext } from "./_embeddings_cache.ts";

Deno.test("cache() embeddings: an earlier write of an entry finishing leaves the later one served", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const inner = new DenoKvCache(kv);
    /** The gate the writes started now wait for. */
    let gate = Promise.resolve();
    const store: CacheStore = {
      get: () => Promise.resolve(null),
      getMany: (keys) => Promise.resolve(keys.map(() => null)),
      set: async (key, value, options) => {
        await gate;
        await inner.set(key, value, options);
      },
      delete: (key) => inner.delete(key),
    };
    const up = deployment("text-embedding-ada-002");
    const background: Promise<unknown>[] = [];
    const run = async (input: string[]) => {
      const res = await compose(
        [cache({ store, waitUntil: (work) => background.push(work) })],
        up.respond,
      )(embeddingsContext(input));
      const json = await res.json();
      return { status: res.headers.get("x-aoai-cache"), model: json.model };
    };

    const first = Promise.withResolvers<void>();
    gate = first.promise;
    assert.deepEqual(await run(["k"]), { status: "miss", model: "text-embedding-ada-002" });
    const firstWrite = background.length;

    up.model.now = "text-embedding-3-small";
    const second = Promise.withResolvers<void>();
    gate = second.promise;
    // "k" is served from the first write (ada-002), "j" comes from the re-pointed deployment:
    // both are fetched afresh, and "k" written again.
    assert.deepEqual(await run(["k", "j"]), { status: "miss", model: "text-embedding-3-small" });
    assert.deepEqual(up.inputs, [["k"], ["j"], ["k", "j"]]);

    first.resolve();
    await Promise.all(background.slice(0, firstWrite));
    assert.deepEqual(await run(["k"]), { status: "hit", model: "text-embedding-3-small" });
    assert.equal(up.inputs.length, 3, "served the second write's entry");

    second.resolve();
    await Promise.all(background);
  } finally {
    kv.close();
  }
});
