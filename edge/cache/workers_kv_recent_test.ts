/**
 * WorkersKvCache against Workers KV's read-after-write lag: a `get()` may miss a key for up to
 * 60 s after its `put()` settled, and a second `put()` of one key within a second is refused
 * (429). Values this isolate wrote are served from memory in that window, and identical rewrites
 * send no `put`. The clock is injected: nothing sleeps.
 */
import assert from "node:assert/strict";
import { WorkersKvCache, type WorkersKvNamespace } from "./workers_kv.ts";
import { azurePath, KEY, testApp } from "../../tests/edge/_helpers.ts";

interface Stored {
  value: ArrayBuffer;
  /** Readers see `value` from then on; before, the value it replaced (or nothing). */
  visibleAt: number;
  previous: ArrayBuffer | null;
  /** KV's own expiry (expirationTtl), or Infinity. */
  expiresAt: number;
}

/**
 * A binding that behaves like Workers KV as to consistency: a written value is seen only once
 * the clock moved 60 s (the old one, or nothing, until then), and a second put of one key within
 * a second is refused with a 429.
 */
function laggingKv(clock: { now: number }) {
  const data = new Map<string, Stored>();
  const lastPut = new Map<string, number>();
  /** Keys of the puts KV took, in order. */
  const puts: string[] = [];
  /** Keys of the puts KV refused (429). */
  const refused: string[] = [];
  const kv: WorkersKvNamespace = {
    get(key, type) {
      assert.equal(type, "arrayBuffer");
      const entry = data.get(key);
      if (!entry || clock.now >= entry.expiresAt) return Promise.resolve(null);
      const seen = clock.now >= entry.visibleAt ? entry.value : entry.previous;
      return Promise.resolve(seen ? seen.slice(0) : null);
    },
    put(key, value, options) {
      const last = lastPut.get(key);
      if (last !== undefined && clock.now - last < 1_000) {
        refused.push(key);
        return Promise.reject(
          new Error("KV PUT failed: 429 Too Many Requests (1 write/s per key)"),
        );
      }
      lastPut.set(key, clock.now);
      puts.push(key);
      const old = data.get(key);
      const ttl = options?.expirationTtl;
      data.set(key, {
        value: (value instanceof Uint8Array ? value : new Uint8Array(value)).slice().buffer,
        visibleAt: clock.now + 60_000,
        previous: old && clock.now < old.expiresAt
          ? (clock.now >= old.visibleAt ? old.value : old.previous)
          : null,
        expiresAt: ttl === undefined ? Infinity : clock.now + ttl * 1000,
      });
      return Promise.resolve();
    },
    delete(key) {
      data.delete(key);
      return Promise.resolve();
    },
  };
  return { kv, puts, refused };
}

const bytes = (...values: number[]) => new Uint8Array(values);

// --- through the edge app (cache() on the emulator, writes handed to waitUntil) ---

const EMBED = azurePath("text-embedding-3-small", "embeddings");

function edgeWithLaggingKv(recentBytes?: number) {
  const clock = { now: 1_000_000 };
  const lagging = laggingKv(clock);
  const store = new WorkersKvCache(lagging.kv, { now: () => clock.now, recentBytes });
  const errors: string[] = [];
  const t = testApp({ cache: store, onError: (m) => errors.push(m) });
  const embed = async (input: string[]) => {
    const pending: Promise<unknown>[] = [];
    const res = await t.app.fetch(
      new Request(`http://edge.test${EMBED}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({ input }),
      }),
      {},
      { waitUntil: (p: Promise<unknown>) => void pending.push(p) },
    );
    assert.equal(res.status, 200);
    const body = await res.json();
    await Promise.all(pending); // the writes settled before the next call
    return { cache: res.headers.get("x-aoai-cache"), body };
  };
  return { clock, lagging, errors, t, embed };
}

Deno.test("edge app on lagging Workers KV without the recent memory (recentBytes: 0): a repeat within a second misses, goes upstream again and its rewrite is refused (429)", async () => {
  const { clock, lagging, errors, t, embed } = edgeWithLaggingKv(0);
  const input = ["lag one", "lag two"];
  const first = await embed(input);
  assert.equal(first.cache, "miss");
  clock.now += 500; // the puts settled; KV does not show them yet
  const second = await embed(input);
  assert.equal(second.cache, "miss");
  assert.equal(t.upstream.length, 2, "tokens paid twice");
  assert.equal(lagging.refused.length, 2, "both vectors written again within a second");
  assert.ok(errors.length >= 1 && errors.every((m) => /cache store set failed.*429/.test(m)));
});

Deno.test("edge app on lagging Workers KV: a repeat within KV's 60 s lag is a hit from the isolate's recent writes, with no second upstream call nor write", async () => {
  const { clock, lagging, errors, t, embed } = edgeWithLaggingKv();
  const input = ["lag one", "lag two"];
  const first = await embed(input);
  assert.equal(first.cache, "miss");
  assert.equal(lagging.puts.length, 3, "two vectors and the model");
  for (const step of [500, 30_000]) {
    clock.now += step;
    const again = await embed(input);
    assert.equal(again.cache, "hit", `hit after ${step} ms more`);
    assert.deepEqual(again.body.data, first.body.data, "bit-for-bit the vectors of the miss");
    assert.equal(again.body.model, first.body.model);
    assert.equal(again.body.usage.prompt_tokens, 0);
  }
  clock.now += 31_000; // past the window: KV itself shows them now
  const later = await embed(input);
  assert.equal(later.cache, "hit");
  assert.deepEqual(later.body.data, first.body.data);
  assert.equal(t.upstream.length, 1, "one upstream call");
  assert.equal(lagging.puts.length, 3, "nothing written twice");
  assert.deepEqual(lagging.refused, []);
  assert.deepEqual(errors, []);
});

// --- WorkersKvCache alone ---

Deno.test("WorkersKvCache.get() serves a value this isolate wrote while KV does not show it yet, for 60 s", async () => {
  const clock = { now: 0 };
  const { kv } = laggingKv(clock);
  const cache = new WorkersKvCache(kv, { now: () => clock.now });
  await cache.set("k", bytes(1, 2, 3), { ttlSeconds: 3600 });
  assert.equal(await kv.get("aoai-cache:k", "arrayBuffer"), null, "KV lags");
  assert.deepEqual(await cache.get("k"), bytes(1, 2, 3));
  clock.now = 59_999;
  assert.deepEqual(await cache.getMany(["k", "other"]), [bytes(1, 2, 3), null]);
  clock.now = 60_000; // from KV now
  assert.deepEqual(await cache.get("k"), bytes(1, 2, 3));
});

Deno.test("WorkersKvCache keeps a recent value only until its own TTL when shorter than 60 s: an expired value is never served", async () => {
  const clock = { now: 0 };
  const { kv } = laggingKv(clock);
  const cache = new WorkersKvCache(kv, { now: () => clock.now });
  await cache.set("k", bytes(9), { ttlSeconds: 5 });
  clock.now = 4_999;
  assert.deepEqual(await cache.get("k"), bytes(9));
  clock.now = 5_000;
  assert.equal(await cache.get("k"), null);
  clock.now = 60_000; // KV shows it (expirationTtl 60), the stored expiry still holds
  assert.equal(await cache.get("k"), null);
});

Deno.test("WorkersKvCache.set() of identical bytes within a second, or while still kept with the same TTL, sends no put (no 429)", async () => {
  const clock = { now: 0 };
  const { kv, puts, refused } = laggingKv(clock);
  const cache = new WorkersKvCache(kv, { now: () => clock.now });
  await cache.set("k", bytes(1, 2), { ttlSeconds: 600 });
  clock.now = 400;
  await cache.set("k", bytes(1, 2), { ttlSeconds: 600 });
  await cache.set("k", bytes(1, 2), { ttlSeconds: 900 }); // under a second: KV would refuse it
  clock.now = 30_000;
  await cache.set("k", bytes(1, 2), { ttlSeconds: 600 });
  assert.deepEqual(puts, ["aoai-cache:k"]);
  assert.deepEqual(refused, []);
  // Another TTL once KV takes a write again: written, for the new expiry.
  await cache.set("k", bytes(1, 2), { ttlSeconds: 900 });
  assert.equal(puts.length, 2);
  // Past the window the memory is empty: a rewrite goes to KV (which takes it).
  clock.now = 95_000;
  await cache.set("k", bytes(1, 2), { ttlSeconds: 900 });
  assert.equal(puts.length, 3);
  assert.deepEqual(refused, []);
});

Deno.test("WorkersKvCache.set() of another value writes it and get() serves the new one at once", async () => {
  const clock = { now: 0 };
  const { kv, puts, refused } = laggingKv(clock);
  const cache = new WorkersKvCache(kv, { now: () => clock.now });
  await cache.set("k", bytes(1));
  clock.now = 300;
  // KV refuses it (a second write within a second): the caller learns it, nothing is kept.
  await assert.rejects(cache.set("k", bytes(2)), /429/);
  assert.deepEqual(refused, ["aoai-cache:k"]);
  assert.equal(
    await cache.get("k"),
    null,
    "neither value: the old one was replaced, the new one not written",
  );
  clock.now = 1_500;
  await cache.set("k", bytes(3));
  assert.equal(puts.length, 2);
  assert.deepEqual(await cache.get("k"), bytes(3));
  clock.now = 61_500;
  assert.deepEqual(await cache.get("k"), bytes(3), "KV's own value by now");
});

Deno.test("WorkersKvCache.set() after a failed put writes again, and concurrent identical sets share one put", async () => {
  const clock = { now: 0 };
  const base = laggingKv(clock);
  let failNext = true;
  const kv: WorkersKvNamespace = {
    ...base.kv,
    put: (key, value, options) => {
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error("KV PUT failed: 500"));
      }
      return base.kv.put(key, value, options);
    },
  };
  const cache = new WorkersKvCache(kv, { now: () => clock.now });
  await assert.rejects(cache.set("k", bytes(4)), /500/);
  assert.equal(await cache.get("k"), null, "not written: not served");
  await Promise.all([cache.set("k", bytes(4)), cache.set("k", bytes(4)), cache.set("k", bytes(4))]);
  assert.deepEqual(base.puts, ["aoai-cache:k"]);
  assert.deepEqual(await cache.get("k"), bytes(4));
});

Deno.test("WorkersKvCache.set() whose binding throws synchronously keeps nothing, nor counts it", async () => {
  const clock = { now: 0 };
  const base = laggingKv(clock);
  let broken = false;
  const kv: WorkersKvNamespace = {
    ...base.kv,
    put: (key, value, options) => {
      if (broken) throw new Error("binding broke");
      return base.kv.put(key, value, options);
    },
  };
  // Room for two entries of 32 bytes ("aoai-cache:a" is 12 bytes, the values 20).
  const cache = new WorkersKvCache(kv, { now: () => clock.now, recentBytes: 64 });
  await cache.set("a", new Uint8Array(20).fill(1));
  broken = true;
  await assert.rejects(cache.set("x", new Uint8Array(20).fill(2)), /binding broke/);
  broken = false;
  await cache.set("b", new Uint8Array(20).fill(3));
  assert.ok(await cache.get("a"), "a and b fit: the failed write takes no room");
  assert.ok(await cache.get("b"));
  assert.equal(await cache.get("x"), null);
});

Deno.test("WorkersKvCache serves a value whose put is under way, but not past 60 s when the put hangs", async () => {
  const clock = { now: 0 };
  const base = laggingKv(clock);
  let hang = true;
  const kv: WorkersKvNamespace = {
    ...base.kv,
    put: (key, value, options) => hang ? new Promise(() => {}) : base.kv.put(key, value, options),
  };
  const cache = new WorkersKvCache(kv, { now: () => clock.now });
  void cache.set("k", bytes(6)); // never settles
  assert.deepEqual(await cache.get("k"), bytes(6));
  clock.now = 60_000;
  assert.equal(await cache.get("k"), null);
  hang = false;
  await cache.set("k", bytes(6)); // not tied to the hung put
  assert.deepEqual(base.puts, ["aoai-cache:k"]);
  assert.deepEqual(await cache.get("k"), bytes(6));
});

Deno.test("WorkersKvCache.delete() drops the recent value", async () => {
  const clock = { now: 0 };
  const { kv, puts } = laggingKv(clock);
  const cache = new WorkersKvCache(kv, { now: () => clock.now });
  await cache.set("k", bytes(5));
  await cache.delete("k");
  assert.equal(await cache.get("k"), null);
  clock.now = 2_000;
  await cache.set("k", bytes(5)); // not skipped: the deleted value is gone
  assert.equal(puts.length, 2);
  assert.deepEqual(await cache.get("k"), bytes(5));
});

Deno.test("WorkersKvCache recent memory counts key + value bytes and drops the least recently used first", async () => {
  const clock = { now: 0 };
  const { kv } = laggingKv(clock);
  // "aoai-cache:a" is 12 bytes: each entry of a 20-byte value counts 32.
  const cache = new WorkersKvCache(kv, { now: () => clock.now, recentBytes: 96 });
  await cache.set("a", new Uint8Array(20).fill(1));
  await cache.set("b", new Uint8Array(20).fill(2));
  await cache.set("c", new Uint8Array(20).fill(3));
  assert.ok(await cache.get("a"), "a used: b is now the least recently used");
  await cache.set("d", new Uint8Array(20).fill(4));
  assert.deepEqual(
    await Promise.all(["a", "b", "c", "d"].map(async (k) => (await cache.get(k)) !== null)),
    [true, false, true, true],
  );
  // A value that alone is over the limit is written but not kept.
  await cache.set("e", new Uint8Array(85));
  assert.equal(await cache.get("e"), null);
  assert.ok(await cache.get("a"), "kept entries stay");
});

Deno.test("WorkersKvCache recent memory holds its own copy: the caller's bytes may change", async () => {
  const clock = { now: 0 };
  const { kv } = laggingKv(clock);
  const cache = new WorkersKvCache(kv, { now: () => clock.now });
  const value = bytes(1, 2, 3);
  await cache.set("k", value);
  value[0] = 99;
  const read = await cache.get("k") as Uint8Array;
  assert.deepEqual(read, bytes(1, 2, 3));
  read[1] = 99;
  assert.deepEqual(await cache.get("k"), bytes(1, 2, 3));
});

Deno.test("WorkersKvCache with recentBytes 0 keeps nothing; a bad recentBytes is a TypeError", async () => {
  const clock = { now: 0 };
  const { kv, puts } = laggingKv(clock);
  const cache = new WorkersKvCache(kv, { now: () => clock.now, recentBytes: 0 });
  await cache.set("k", bytes(1));
  assert.equal(await cache.get("k"), null, "KV lags and nothing is kept");
  clock.now = 2_000;
  await cache.set("k", bytes(1));
  assert.equal(puts.length, 2);
  for (const recentBytes of [-1, NaN, "4MiB"]) {
    assert.throws(
      () => new WorkersKvCache(kv, { recentBytes: recentBytes as number }),
      /recentBytes/,
    );
  }
});
