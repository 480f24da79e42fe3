import assert from "node:assert/strict";
import { DenoKvCache } from "./deno_kv.ts";

function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

Deno.test("DenoKvCache.get() returns the bytes set() wrote and null for absent keys", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv);
  await cache.set("a", bytes(10));
  assert.deepEqual(await cache.get("a"), bytes(10));
  assert.equal(await cache.get("missing"), null);
});

Deno.test("DenoKvCache.set() splits values over 64 KiB into chunks and get() joins them", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv, { prefix: ["p"] });
  const big = bytes(300_000, 7);
  await cache.set("big", big, { ttlSeconds: 60 });
  assert.deepEqual(await cache.get("big"), big);
  let entries = 0;
  for await (const _ of kv.list({ prefix: ["p"] })) entries++;
  assert.equal(entries, 1 + Math.ceil(300_000 / (60 * 1024)));
});

Deno.test("DenoKvCache.set() removes the old chunks when a key is overwritten", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv, { prefix: ["p"] });
  await cache.set("k", bytes(200_000, 1));
  await cache.set("k", bytes(100_000, 2));
  assert.deepEqual(await cache.get("k"), bytes(100_000, 2));
  let entries = 0;
  for await (const _ of kv.list({ prefix: ["p"] })) entries++;
  assert.equal(entries, 1 + 2);
  await cache.set("k", bytes(5, 3));
  entries = 0;
  for await (const _ of kv.list({ prefix: ["p"] })) entries++;
  assert.equal(entries, 1);
});

Deno.test("DenoKvCache.delete() removes the value and its chunks", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv, { prefix: ["p"] });
  await cache.set("k", bytes(130_000));
  await cache.delete("k");
  await cache.delete("never-there");
  assert.equal(await cache.get("k"), null);
  let entries = 0;
  for await (const _ of kv.list({ prefix: ["p"] })) entries++;
  assert.equal(entries, 0);
});

Deno.test("DenoKvCache.get() returns null after the stored expiry even if KV still holds it", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = 1_000_000;
  const cache = new DenoKvCache(kv, { now: () => now });
  await cache.set("small", bytes(4), { ttlSeconds: 2 });
  await cache.set("large", bytes(70_000), { ttlSeconds: 2 });
  now += 1999;
  assert.deepEqual(await cache.get("small"), bytes(4));
  assert.deepEqual(await cache.get("large"), bytes(70_000));
  now += 1;
  assert.equal(await cache.get("small"), null);
  assert.equal(await cache.get("large"), null);
  assert.deepEqual(await cache.getMany(["small", "large"]), [null, null]);
});

Deno.test("DenoKvCache.getMany() reads more than 10 keys in order", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv);
  const keys = Array.from({ length: 25 }, (_, i) => `k${i}`);
  for (const [i, k] of keys.entries()) if (i % 3 !== 0) await cache.set(k, bytes(8, i));
  await cache.set("k4", bytes(90_000, 4));
  const got = await cache.getMany([...keys, "nope"]);
  assert.equal(got.length, 26);
  for (const [i] of keys.entries()) {
    if (i === 4) assert.deepEqual(got[i], bytes(90_000, 4));
    else if (i % 3 === 0) assert.equal(got[i], null);
    else assert.deepEqual(got[i], bytes(8, i));
  }
  assert.equal(got[25], null);
});

Deno.test("DenoKvCache.set() refuses values over maxValueBytes with a RangeError", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv, { maxValueBytes: 1000 });
  await assert.rejects(cache.set("k", bytes(1001)), (err: unknown) => {
    assert.ok(err instanceof RangeError);
    assert.match(err.message, /over maxValueBytes \(1000\)/);
    return true;
  });
  assert.equal(await cache.get("k"), null);
});

Deno.test("DenoKvCache rejects keys over the Deno KV key limit and bad options", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv);
  await assert.rejects(cache.get("x".repeat(3000)), RangeError);
  await assert.rejects(cache.set("k", bytes(1), { ttlSeconds: -1 }), /ttlSeconds/);
  assert.throws(() => new DenoKvCache(kv, { maxValueBytes: 0 }), /maxValueBytes/);
  assert.throws(() => new DenoKvCache(null as unknown as Deno.Kv), /Deno.openKv/);
});

Deno.test("DenoKvCache refuses a prefix too long to leave room for keys, and takes the longest key with the longest prefix", async () => {
  using kv = await Deno.openKv(":memory:");
  assert.throws(
    () => new DenoKvCache(kv, { prefix: ["x".repeat(300)] }),
    /prefix takes 302 bytes; keep it under 200/,
  );
  const prefix = ["p".repeat(100), "q".repeat(90)]; // 194 bytes: allowed
  const cache = new DenoKvCache(kv, { prefix });
  const key = "k".repeat(1800);
  await cache.set(key, new Uint8Array(70_000)); // chunked: chunk keys are longer still
  assert.equal((await cache.get(key))?.byteLength, 70_000);
});

Deno.test("DenoKvCache.set() with ttlSeconds Infinity stores the value without expiry", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = 0;
  const cache = new DenoKvCache(kv, { now: () => now });
  await cache.set("small", bytes(10), { ttlSeconds: Infinity });
  await cache.set("big", bytes(70_000), { ttlSeconds: Infinity });
  now = 1e15;
  assert.deepEqual(await cache.getMany(["small", "big"]), [bytes(10), bytes(70_000)]);
});

Deno.test("DenoKvCache accepts a prefix only when its longest key, chunk suffix included, fits Deno KV", async () => {
  using kv = await Deno.openKv(":memory:");
  const numbers = Array.from({ length: 23 }, (_, i) => i); // 9 bytes each, encoded
  const accepted: number[] = [];
  const prefixes = [["p".repeat(198)], ["p".repeat(197)], numbers, numbers.slice(1)];
  for (const [i, prefix] of prefixes.entries()) {
    let cache: DenoKvCache;
    try {
      cache = new DenoKvCache(kv, { prefix });
    } catch (err) {
      assert.match(String(err), /prefix takes \d+ bytes/);
      continue;
    }
    accepted.push(i);
    const key = "k".repeat(1800);
    await cache.set(key, bytes(70_000));
    assert.deepEqual(await cache.get(key), bytes(70_000));
  }
  assert.deepEqual(accepted, [1, 3]);
});

Deno.test("DenoKvCache reads a corrupt or foreign record as absent without failing the other keys", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv);
  await cache.set("good", bytes(10));
  await kv.set(["aoai-cache", "negative"], { e: 0, s: -1, n: 1, id: "x" });
  const s = 2 ** 50; // over maxValueBytes, with its chunk count
  await kv.set(["aoai-cache", "huge"], { e: 0, s, n: Math.ceil(s / (60 * 1024)), id: "x" });
  await kv.set(["aoai-cache", "short"], { e: 0, s: 99, v: bytes(3) });
  await kv.set(["aoai-cache", "raw"], bytes(8));
  assert.deepEqual(
    await cache.getMany(["good", "negative", "huge", "short", "raw"]),
    [bytes(10), null, null, null, null],
  );
  await cache.set("huge", bytes(4)); // overwriting does not walk 2^34 chunk keys
  assert.deepEqual(await cache.get("huge"), bytes(4));
});

/**
 * The real `kv`, except that the first `method` call whose keys `match` is held at `when`
 * ("before" it reaches KV, or "after" KV answered) until `release()`: a test runs another store
 * call in that gap, so the interleaving is fixed, not left to timing.
 */
function hold(
  kv: Deno.Kv,
  method: "get" | "getMany",
  match: (keys: Deno.KvKey[]) => boolean,
  when: "before" | "after",
): { kv: Deno.Kv; reached: Promise<void>; release: () => void } {
  const reached = Promise.withResolvers<void>();
  const gate = Promise.withResolvers<void>();
  let armed = true;
  const wrapped = new Proxy(kv, {
    get(target, prop) {
      const real = Reflect.get(target, prop, target);
      if (typeof real !== "function") return real;
      if (prop !== method) return real.bind(target);
      return async (arg: Deno.KvKey | Deno.KvKey[], ...rest: unknown[]) => {
        const keys = method === "get" ? [arg as Deno.KvKey] : arg as Deno.KvKey[];
        const held = armed && match(keys);
        if (held) armed = false;
        if (held && when === "before") {
          reached.resolve();
          await gate.promise;
        }
        const result = await real.call(target, arg, ...rest);
        if (held && when === "after") {
          reached.resolve();
          await gate.promise;
        }
        return result;
      };
    },
  });
  return { kv: wrapped, reached: reached.promise, release: () => gate.resolve() };
}

const isKey = (want: Deno.KvKey) => (keys: Deno.KvKey[]) =>
  keys.length === 1 && JSON.stringify(keys[0]) === JSON.stringify(want);

/** Every entry under ["p", key]: the record and the chunk keys grouped by chunk id. */
async function layout(kv: Deno.Kv, key: string) {
  const record = (await kv.get<{ id?: string; n?: number }>(["p", key])).value;
  const chunks: Record<string, number> = {};
  for await (const entry of kv.list({ prefix: ["p", key] })) {
    const id = String(entry.key[2]);
    chunks[id] = (chunks[id] ?? 0) + 1;
  }
  const expected = record?.id === undefined ? {} : { [record.id]: record.n };
  return { chunks, expected };
}

Deno.test("DenoKvCache: two overlapping set() calls of one key leave only the chunks of the value that stays", async () => {
  using kv = await Deno.openKv(":memory:");
  await new DenoKvCache(kv, { prefix: ["p"] }).set("k", bytes(100_000, 1));
  // Writer A reads the record, then writer B writes the key from start to end, then A goes on.
  const held = hold(kv, "get", isKey(["p", "k"]), "after");
  const writeA = new DenoKvCache(held.kv, { prefix: ["p"] }).set("k", bytes(200_000, 2));
  await held.reached;
  const b = new DenoKvCache(kv, { prefix: ["p"] });
  await b.set("k", bytes(130_000, 3));
  held.release();
  await writeA;
  const { chunks, expected } = await layout(kv, "k");
  assert.deepEqual(chunks, expected);
  // B committed first; A, overlapping it, is ordered before it and so is overwritten.
  assert.deepEqual(await b.get("k"), bytes(130_000, 3));
});

Deno.test("DenoKvCache: a small set() overlapping a chunked one leaves no chunks behind", async () => {
  using kv = await Deno.openKv(":memory:");
  const held = hold(kv, "get", isKey(["p", "k"]), "after");
  const writeA = new DenoKvCache(held.kv, { prefix: ["p"] }).set("k", bytes(10, 2));
  await held.reached;
  const b = new DenoKvCache(kv, { prefix: ["p"] });
  await b.set("k", bytes(70_000, 3));
  held.release();
  await writeA;
  const { chunks, expected } = await layout(kv, "k");
  assert.deepEqual(chunks, expected);
  assert.deepEqual(await b.get("k"), bytes(70_000, 3));
});

Deno.test("DenoKvCache: delete() overlapping a chunked set() leaves no chunks behind", async () => {
  using kv = await Deno.openKv(":memory:");
  await new DenoKvCache(kv, { prefix: ["p"] }).set("k", bytes(100_000, 1));
  const held = hold(kv, "get", isKey(["p", "k"]), "after");
  const deleting = new DenoKvCache(held.kv, { prefix: ["p"] }).delete("k");
  await held.reached;
  const b = new DenoKvCache(kv, { prefix: ["p"] });
  await b.set("k", bytes(130_000, 3));
  held.release();
  await deleting;
  const { chunks, expected } = await layout(kv, "k");
  assert.deepEqual(chunks, expected);
  // The set() committed while the delete() ran: the delete is ordered before it.
  assert.deepEqual(await b.get("k"), bytes(130_000, 3));
});

Deno.test("DenoKvCache.get() overlapping an overwrite returns the old value or null, never a mix", async () => {
  using kv = await Deno.openKv(":memory:");
  const size = 12 * 60 * 1024; // 12 chunks: two getMany batches
  const writer = new DenoKvCache(kv, { prefix: ["p"] });
  const old = bytes(size, 1);
  await writer.set("k", old);
  // The reader has the record and the first batch of chunks; its second batch waits while the
  // writer replaces the value with one of the same size.
  const held = hold(kv, "getMany", (keys) => keys[0]?.[3] === 10, "before");
  const reading = new DenoKvCache(held.kv, { prefix: ["p"] }).get("k");
  await held.reached;
  await writer.set("k", bytes(size, 2));
  held.release();
  const got = await reading;
  assert.ok(got === null || got.every((b, i) => b === old[i]), "a mix of two writes");
  assert.deepEqual(await writer.get("k"), bytes(size, 2));
});

Deno.test("DenoKvCache reads a foreign record whose chunk id would overflow a KV key as absent", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv);
  await cache.set("good", bytes(10));
  await kv.set(["aoai-cache", "long-id"], { e: 0, s: 70_000, n: 2, id: "x".repeat(2100) });
  assert.deepEqual(await cache.getMany(["good", "long-id"]), [bytes(10), null]);
  await cache.set("long-id", bytes(4));
  assert.deepEqual(await cache.get("long-id"), bytes(4));
});

for (const ttlSeconds of [1e13, Number.MAX_SAFE_INTEGER, 1e300, Number.MAX_VALUE]) {
  Deno.test(`DenoKvCache.set() with a huge ttlSeconds (${ttlSeconds}) stores, and get() reads it`, async () => {
    using kv = await Deno.openKv(":memory:");
    let now = Date.now();
    const cache = new DenoKvCache(kv, { now: () => now });
    await cache.set("small", bytes(10), { ttlSeconds });
    await cache.set("big", bytes(70_000), { ttlSeconds });
    now += 1e12; // ~30 years on
    assert.deepEqual(await cache.getMany(["small", "big"]), [bytes(10), bytes(70_000)]);
  });
}

Deno.test("DenoKvCache refuses a key that is too long as Deno KV encodes it with a RangeError", async () => {
  using kv = await Deno.openKv(":memory:");
  const cache = new DenoKvCache(kv);
  // 1,000 UTF-8 bytes, but each NUL takes two in a KV key: 2,002 bytes with the tuple bytes.
  const key = "\0".repeat(1_000);
  await assert.rejects(cache.get(key), RangeError);
  await assert.rejects(cache.getMany(["a", key]), RangeError);
  await assert.rejects(cache.set(key, bytes(1)), RangeError);
});
