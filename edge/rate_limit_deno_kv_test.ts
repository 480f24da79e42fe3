import assert from "node:assert/strict";
import { DenoKvRateLimiter } from "./rate_limit_deno_kv.ts";
import { losingCommits, recordSets } from "../tests/edge/_kv_spy.ts";

/** A clock tests move by hand. */
function clock(start = 0) {
  const time = { now: start };
  return { time, now: () => time.now };
}

Deno.test("DenoKvRateLimiter.take() gives two limiters on one KV (two isolates) one budget", async () => {
  using kv = await Deno.openKv(":memory:");
  const { now } = clock(1_000);
  const a = new DenoKvRateLimiter(kv, { requestsPerMinute: 3, now });
  const b = new DenoKvRateLimiter(kv, { requestsPerMinute: 3, now });
  const first = await a.take("0");
  assert.deepEqual(first, { ok: true, remaining: 2, retryAfterSeconds: 0 });
  assert.equal((await b.take("0")).remaining, 1);
  assert.equal((await a.take("0")).remaining, 0);
  const refused = await b.take("0");
  assert.deepEqual(refused, { ok: false, remaining: 0, retryAfterSeconds: 20 }, "one back in 20 s");
  assert.equal((await a.take("0")).ok, false);
  assert.equal((await b.take("1")).ok, true, "another client has its own budget");
});

Deno.test("DenoKvRateLimiter.take() refills evenly: no second burst right after the first", async () => {
  using kv = await Deno.openKv(":memory:");
  const { time, now } = clock(59_500);
  const limiter = new DenoKvRateLimiter(kv, { requestsPerMinute: 2, now });
  assert.equal((await limiter.take("0")).ok, true);
  assert.equal((await limiter.take("0")).ok, true);
  assert.deepEqual(await limiter.take("0"), { ok: false, remaining: 0, retryAfterSeconds: 30 });
  // Where a fixed window would have started a fresh budget of 2 (at 60 s), nothing is back yet.
  time.now = 60_000;
  assert.equal((await limiter.take("0")).ok, false);
  time.now = 59_500 + 29_990;
  assert.equal((await limiter.take("0")).retryAfterSeconds, 1);
  time.now = 59_500 + 30_000;
  assert.deepEqual(await limiter.take("0"), { ok: true, remaining: 0, retryAfterSeconds: 0 });
  assert.equal((await limiter.take("0")).ok, false, "one back, one spent");
  time.now = 59_500 + 120_000; // long idle: a full bucket again, not more
  assert.equal((await limiter.take("0")).remaining, 1);
  assert.equal((await limiter.take("0")).remaining, 0);
  assert.equal((await limiter.take("0")).ok, false);
});

Deno.test("DenoKvRateLimiter.take() allows exactly the rate when it does not divide a minute", async () => {
  using kv = await Deno.openKv(":memory:");
  const { time, now } = clock(1_700_000_000_123);
  const limiter = new DenoKvRateLimiter(kv, { requestsPerMinute: 7, now });
  let allowed = 0;
  // 7 at once, then one per 60/7 s: 7 + 70 over ten minutes (float intervals summed 77 times).
  for (let step = 0; step <= 600; step++) {
    time.now = 1_700_000_000_123 + step * 1000;
    while ((await limiter.take("0")).ok) allowed++;
  }
  assert.equal(allowed, 7 + 70);
});

Deno.test("DenoKvRateLimiter.take() allows no request over the limit at 60 000 a minute and more", async () => {
  // The float slack a take tolerates (1 ms) is a whole interval at 60 000 a minute, ten at 600 000.
  using kv = await Deno.openKv(":memory:");
  const start = 1_700_000_000_000;
  for (const rpm of [60_000, 600_000]) {
    const prefix = ["high", rpm];
    const limiter = new DenoKvRateLimiter(kv, { requestsPerMinute: rpm, now: () => start, prefix });
    // A bucket with three requests left: full again one minute less three intervals from now.
    await kv.set([...prefix, "0"], start + 60_000 - 3 * (60_000 / rpm));
    let allowed = 0;
    while ((await limiter.take("0")).ok) allowed++;
    assert.equal(allowed, 3, `${rpm} a minute`);
  }
});

Deno.test("DenoKvRateLimiter.take() never lets concurrent takes from two limiters overshoot", async () => {
  using kv = await Deno.openKv(":memory:");
  const { now } = clock();
  const a = new DenoKvRateLimiter(kv, { requestsPerMinute: 25, now });
  const b = new DenoKvRateLimiter(kv, { requestsPerMinute: 25, now });
  const decisions = await Promise.all(
    Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).take("0")),
  );
  assert.equal(decisions.filter((d) => d.ok).length, 25);
  const remaining = decisions.filter((d) => d.ok).map((d) => d.remaining).sort((x, y) => x! - y!);
  assert.deepEqual(remaining, Array.from({ length: 25 }, (_, i) => i), "each count given once");
  assert.equal((await kv.get(["aoai-edge-rate", "0"])).value, 25 * 2_400, "full 25 intervals on");
});

Deno.test("DenoKvRateLimiter.take() counts every one of many concurrent takes within the budget", async () => {
  using kv = await Deno.openKv(":memory:");
  const { now } = clock();
  const a = new DenoKvRateLimiter(kv, { requestsPerMinute: 100, now });
  const b = new DenoKvRateLimiter(kv, { requestsPerMinute: 100, now });
  const decisions = await Promise.all(
    Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).take("7")),
  );
  assert.ok(decisions.every((d) => d.ok), "30 concurrent takes need at most 30 attempts each");
  assert.equal((await kv.get(["aoai-edge-rate", "7"])).value, 30 * 600);
});

Deno.test("DenoKvRateLimiter takes a fractional requestsPerMinute as a bucket of at least 1", async () => {
  using kv = await Deno.openKv(":memory:");
  const { time, now } = clock();
  const half = new DenoKvRateLimiter(kv, { requestsPerMinute: 0.5, now, prefix: ["half"] });
  assert.equal((await half.take("0")).ok, true);
  assert.deepEqual(await half.take("0"), { ok: false, remaining: 0, retryAfterSeconds: 120 });
  time.now = 120_000;
  assert.equal((await half.take("0")).ok, true);
  time.now = 0;
  const oneAndHalf = new DenoKvRateLimiter(kv, { requestsPerMinute: 1.5, now, prefix: ["1.5"] });
  assert.equal((await oneAndHalf.take("0")).ok, true);
  const refused = await oneAndHalf.take("0");
  assert.equal(refused.ok, false);
  assert.equal(refused.retryAfterSeconds, 20, "half a request left; one more every 40 s");
  time.now = 20_000;
  assert.equal((await oneAndHalf.take("0")).ok, true);
  assert.equal(half.requestsPerMinute, 0.5);
});

Deno.test("DenoKvRateLimiter writes one entry per client under the prefix, expiring when the bucket is full again", async () => {
  using kv = await Deno.openKv(":memory:");
  const sets = recordSets(kv);
  const limiter = new DenoKvRateLimiter(kv, {
    requestsPerMinute: 10,
    prefix: ["app", 1],
    now: () => 60_000 + 45_000,
  });
  await limiter.take("3");
  await limiter.take("3");
  assert.deepEqual(sets, [
    { key: ["app", 1, "3"], value: 105_000 + 6_000, expireIn: 6_000 },
    { key: ["app", 1, "3"], value: 105_000 + 12_000, expireIn: 12_000 },
  ]);
  const keys = [];
  for await (const entry of kv.list({ prefix: [] })) keys.push(entry.key);
  assert.deepEqual(keys, [["app", 1, "3"]], "nothing outside the prefix");
});

Deno.test("DenoKvRateLimiter.take() refuses with retry-after 1 when it loses every race", async () => {
  using kv = await Deno.openKv(":memory:");
  const { commits } = losingCommits(kv);
  const limiter = new DenoKvRateLimiter(kv, {
    requestsPerMinute: 10,
    maxAttempts: 4,
    now: () => 0,
  });
  assert.deepEqual(await limiter.take("0"), { ok: false, remaining: 0, retryAfterSeconds: 1 });
  assert.equal(commits(), 4, "maxAttempts conditional writes, then it stops");
});

Deno.test("DenoKvRateLimiter.take() rejects when Deno KV fails (the app then fails open)", async () => {
  const kv = await Deno.openKv(":memory:");
  const limiter = new DenoKvRateLimiter(kv, { requestsPerMinute: 10 });
  kv.close();
  await assert.rejects(limiter.take("0"));
});

Deno.test("new DenoKvRateLimiter() throws a TypeError saying which option is wrong", async () => {
  using kv = await Deno.openKv(":memory:");
  const rpm = (requestsPerMinute: number) => () => new DenoKvRateLimiter(kv, { requestsPerMinute });
  for (const bad of [0, -1, NaN, Infinity]) {
    assert.throws(rpm(bad), /requestsPerMinute must be a positive number$/);
  }
  // A window longer than a day would make every take fail (expireIn) and so never limit.
  for (const tiny of [1e-300, 1e-9, 1 / 1441]) {
    assert.throws(rpm(tiny), /at least one request a day \(1\/1440\)/);
  }
  const daily = rpm(1 / 1440)();
  assert.equal((await daily.take("0")).ok, true);
  assert.equal((await daily.take("0")).ok, false, "the smallest rate still limits");
  assert.throws(
    () => new DenoKvRateLimiter({} as Deno.Kv, { requestsPerMinute: 1 }),
    /pass an open Deno.Kv/,
  );
  assert.throws(
    () => new DenoKvRateLimiter(kv, { requestsPerMinute: 1, maxAttempts: 0 }),
    /maxAttempts must be a positive integer/,
  );
  assert.throws(
    () => new DenoKvRateLimiter(kv, { requestsPerMinute: 1, prefix: [{}] as never }),
    /prefix must be an array/,
  );
});

Deno.test("new DenoKvRateLimiter() refuses a prefix too long for a Deno KV key (every take would fail open)", async () => {
  using kv = await Deno.openKv(":memory:");
  for (const prefix of [["x".repeat(2100)], ["a", "é".repeat(600)], Array(120).fill(1)]) {
    assert.throws(
      () => new DenoKvRateLimiter(kv, { requestsPerMinute: 1, prefix }),
      /prefix must be at most 1024 bytes as a Deno KV key/,
    );
  }
  const longest = new DenoKvRateLimiter(kv, { requestsPerMinute: 1, prefix: ["x".repeat(1022)] });
  assert.equal((await longest.take("0")).ok, true);
});

Deno.test("DenoKvRateLimiter.take() lets a burst of parallel takes spend the whole budget", async () => {
  using kv = await Deno.openKv(":memory:");
  const { now } = clock(5_000);
  const one = new DenoKvRateLimiter(kv, { requestsPerMinute: 200, now, prefix: ["one"] });
  const burst = await Promise.all(Array.from({ length: 400 }, () => one.take("0")));
  assert.equal(burst.filter((d) => d.ok).length, 200, "racing each other, most used to be refused");
  const remaining = burst.filter((d) => d.ok).map((d) => d.remaining).sort((x, y) => x! - y!);
  assert.deepEqual(remaining, Array.from({ length: 200 }, (_, i) => i), "each count given once");
  assert.deepEqual(burst.find((d) => !d.ok), { ok: false, remaining: 0, retryAfterSeconds: 1 });
  // Two isolates bursting at once still share one budget, and spend all of it.
  const a = new DenoKvRateLimiter(kv, { requestsPerMinute: 200, now, prefix: ["two"] });
  const b = new DenoKvRateLimiter(kv, { requestsPerMinute: 200, now, prefix: ["two"] });
  const both = await Promise.all(Array.from({ length: 400 }, (_, i) => (i % 2 ? a : b).take("0")));
  assert.equal(both.filter((d) => d.ok).length, 200);
});

Deno.test("DenoKvRateLimiter.take() refuses at most a full bucket's refill when the clock went back", async () => {
  using kv = await Deno.openKv(":memory:");
  const { time, now } = clock(10_000_000);
  const limiter = new DenoKvRateLimiter(kv, { requestsPerMinute: 2, now });
  assert.equal((await limiter.take("0")).ok, true);
  assert.equal((await limiter.take("0")).ok, true);
  time.now -= 3_600_000; // an hour back (NTP, or an isolate whose clock is behind)
  const refused = await limiter.take("0");
  assert.equal(refused.ok, false);
  assert.equal(refused.retryAfterSeconds, 30, "one interval, not an hour and a half");
  time.now += 30_000;
  assert.equal((await limiter.take("0")).ok, true);
});
