import assert from "node:assert/strict";
import { DenoKvTokenLimiter } from "./token_limit_deno_kv.ts";

Deno.test("DenoKvTokenLimiter: limiters on one KV share one budget, and the entry expires when full", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = 1_000_000;
  const a = new DenoKvTokenLimiter(kv, { tokensPerMinute: 600, now: () => now });
  const b = new DenoKvTokenLimiter(kv, { tokensPerMinute: 600, now: () => now });
  assert.deepEqual(await b.check("c"), { ok: true, retryAfterSeconds: 0, remaining: 600 });
  await a.charge("c", 300);
  assert.deepEqual(await b.check("c"), { ok: true, retryAfterSeconds: 0, remaining: 300 });
  await b.charge("c", 900);
  assert.deepEqual(await a.check("c"), { ok: false, retryAfterSeconds: 61 });
  const entry = await kv.get(["aoai-edge-tokens", "c"]);
  assert.deepEqual(
    entry.value,
    [now + 120_000, now],
    "full again two minutes on (1200 at 600/min)",
  );
  now += 60_001;
  assert.equal((await a.check("c")).ok, true);
});

Deno.test("DenoKvTokenLimiter counts every one of many concurrent charges from four isolates", async () => {
  using kv = await Deno.openKv(":memory:");
  const now = () => 5_000;
  const isolates = Array.from(
    { length: 4 },
    () => new DenoKvTokenLimiter(kv, { tokensPerMinute: 60_000, now }),
  );
  await Promise.all(Array.from({ length: 100 }, (_, i) => isolates[i % 4].charge("c", 10)));
  // 1000 tokens at one a ms: full again 1000 ms on.
  assert.deepEqual((await kv.get(["aoai-edge-tokens", "c"])).value, [6_000, 5_000]);
  assert.deepEqual(await isolates[0].check("c"), {
    ok: true,
    retryAfterSeconds: 0,
    remaining: 59_000,
  });
});

Deno.test("DenoKvTokenLimiter rejects a charge that loses every race, naming the tokens lost", async () => {
  using kv = await Deno.openKv(":memory:");
  // A KV whose conditional writes always lose (another isolate changed the entry each time).
  const racing = new Proxy(kv, {
    get(target, name) {
      if (name === "atomic") {
        return () => {
          const op = target.atomic();
          return Object.assign(op, { commit: () => Promise.resolve({ ok: false }) });
        };
      }
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const limiter = new DenoKvTokenLimiter(racing, { tokensPerMinute: 100, maxAttempts: 3 });
  await assert.rejects(limiter.charge("c", 7), /7 tokens not counted.*\(3 tries\)/);
});

Deno.test("DenoKvTokenLimiter validates its options, naming the one at fault", async () => {
  using kv = await Deno.openKv(":memory:");
  assert.throws(() => new DenoKvTokenLimiter({} as Deno.Kv, { tokensPerMinute: 1 }), /Deno\.Kv/);
  assert.throws(() => new DenoKvTokenLimiter(kv, { tokensPerMinute: 0 }), /tokensPerMinute/);
  assert.throws(
    () => new DenoKvTokenLimiter(kv, { tokensPerMinute: 1, prefix: [{}] as never }),
    /prefix must be/,
  );
  assert.throws(
    () => new DenoKvTokenLimiter(kv, { tokensPerMinute: 1, maxAttempts: 0 }),
    /maxAttempts/,
  );
});

Deno.test("DenoKvTokenLimiter: a failed write rejects only its own charges; those that joined meanwhile are written next", async () => {
  using kv = await Deno.openKv(":memory:");
  // The first read hangs until released, then fails (a KV blip); later reads work.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  let reads = 0;
  const blip = new Proxy(kv, {
    get(target, name) {
      if (name === "get") {
        return (key: Deno.KvKey) =>
          ++reads === 1 ? gate.then(() => Promise.reject(new Error("KV blip"))) : target.get(key);
      }
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const limiter = new DenoKvTokenLimiter(blip, { tokensPerMinute: 60_000, now: () => 1_000 });
  const first = limiter.charge("c", 5);
  const second = limiter.charge("c", 7); // joins while the first write is reading
  release();
  await assert.rejects(first, /KV blip/);
  await second; // tried on its own, and counted
  assert.deepEqual((await kv.get(["aoai-edge-tokens", "c"])).value, [1_007, 1_000]);
});
