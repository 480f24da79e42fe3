import assert from "node:assert/strict";
import { cache, CACHE_DEFAULT_TTL_SECONDS } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import type { CacheSetOptions } from "../../src/cache/types.ts";
import { cachedChat, CHAT } from "./_chat_cache.ts";
import { makeContext } from "./_context.ts";
import { deployment, embed } from "./_embeddings_cache.ts";

/** A MemoryCache that records the options of each set() and the size of each getMany(). */
class SpyCache extends MemoryCache {
  sets: (CacheSetOptions | undefined)[] = [];
  groups: number[] = [];
  override set(key: string, value: Uint8Array, options?: CacheSetOptions): Promise<void> {
    this.sets.push(options);
    return super.set(key, value, options);
  }
  override getMany(keys: readonly string[]): Promise<(Uint8Array | null)[]> {
    this.groups.push(keys.length);
    return super.getMany(keys);
  }
}

const inputs = (n: number) => Array.from({ length: n }, (_, i) => `text ${i}`);

Deno.test("cache() stores entries for 7 days (604,800 s) unless ttlSeconds says otherwise", async () => {
  assert.equal(CACHE_DEFAULT_TTL_SECONDS, 604_800);
  const store = new SpyCache();
  await embed(store, ["a"], deployment("text-embedding-3-small"));
  assert.ok(store.sets.length > 0);
  for (const options of store.sets) assert.deepEqual(options, { ttlSeconds: 604_800 });
  const short = new SpyCache();
  await embed(short, ["a"], deployment("text-embedding-3-small"), { ttlSeconds: 0.5 });
  for (const options of short.sets) assert.deepEqual(options, { ttlSeconds: 0.5 });
});

Deno.test("cache() reads 100 keys per getMany() by default; a fractional batchSize rounds down, to 1 at least", async () => {
  const looked = async (batchSize?: number) => {
    const store = new SpyCache();
    await embed(store, inputs(250), deployment("m"), batchSize ? { batchSize } : {});
    return store.groups;
  };
  const groups = await looked(); // 250 inputs and the model key
  assert.deepEqual(groups.slice(0, 2), [100, 100]);
  assert.equal(Math.max(...groups), 100);
  assert.equal(groups.reduce((a, b) => a + b), 251);
  assert.deepEqual((await looked(2.5)).slice(0, 3), [2, 2, 2]);
  assert.ok((await looked(0.5)).every((n) => n === 1), "batchSize 0.5 reads one key at a time");
});

Deno.test("cache() gives a store call 2,000 ms by default (storeTimeoutMs)", async () => {
  const delays = async (storeTimeoutMs?: number) => {
    const seen: (number | undefined)[] = [];
    const real = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void, ms?: number) => {
      seen.push(ms);
      return real(fn, ms);
    }) as typeof setTimeout;
    try {
      const options = storeTimeoutMs ? { storeTimeoutMs } : {};
      await embed(new MemoryCache(), ["a"], deployment("m"), options);
    } finally {
      globalThis.setTimeout = real;
    }
    return seen;
  };
  const byDefault = await delays();
  assert.ok(byDefault.length > 0 && byDefault.every((ms) => ms === 2_000), `${byDefault}`);
  const given = await delays(1_500);
  assert.ok(given.length > 0 && given.every((ms) => ms === 1_500), `${given}`);
});

Deno.test("cache() fits an embeddings batch to the store's maxOperationsPerRequest (one read and one write per input, plus two)", async () => {
  const status = async (limit: number, n: number) => {
    const store = Object.assign(new MemoryCache(), { maxOperationsPerRequest: limit });
    return (await embed(store, inputs(n), deployment("m"))).status;
  };
  assert.equal(await status(6, 2), "miss");
  assert.equal(await status(6, 3), "miss");
  assert.equal(await status(4, 1), "miss");
  assert.equal(await status(4, 2), "miss");
  const uncached = async (limit: number, n: number) => {
    const store = Object.assign(new MemoryCache(), { maxOperationsPerRequest: limit });
    const up = deployment("m");
    await embed(store, inputs(n), up);
    await embed(store, inputs(n), up);
    return up.inputs.length === 2 && store.size === 0;
  };
  assert.equal(await uncached(6, 2), false, "6 operations: 2 inputs");
  assert.equal(await uncached(6, 3), true);
  assert.equal(await uncached(4, 1), false, "4 operations: 1 input");
  assert.equal(await uncached(4, 2), true);
  assert.equal(await uncached(1, 1), false, "a limit under 4 still caches 1 input");
  assert.equal(await uncached(1, 2), true);
  assert.equal(await uncached(0, 300), false, "0: no limit");
});

Deno.test("cache() leaves chat completions alone unless chat: true, even deterministic ones", async () => {
  const store = new MemoryCache();
  let calls = 0;
  const answer = {
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
  };
  for (let i = 0; i < 2; i++) {
    const ctx = makeContext({
      request: new Request(CHAT, {
        method: "POST",
        body: JSON.stringify({ temperature: 0, messages: [{ role: "user", content: "hi" }] }),
        headers: { "content-type": "application/json" },
      }),
    });
    const res = await compose([cache({ store })], () => {
      calls++;
      return Promise.resolve(Response.json(answer));
    })(ctx);
    assert.equal(res.headers.get("x-aoai-cache"), null);
    await res.body?.cancel();
  }
  assert.equal(calls, 2);
  assert.equal(store.size, 0);
  const { calls: cached } = await cachedChat(store, { temperature: 0, messages: [] }, answer);
  assert.equal(cached, 1, "the same store caches with chat: true");
  assert.equal(store.size, 1);
});
