import assert from "node:assert/strict";
import { ClientTokenLimiter } from "./token_limit.ts";

Deno.test("ClientTokenLimiter lets a client through until its charges use the budget up", () => {
  let now = 0;
  const limiter = new ClientTokenLimiter({ tokensPerMinute: 600, now: () => now });
  assert.deepEqual(limiter.check("a"), { ok: true, retryAfterSeconds: 0, remaining: 600 });
  limiter.charge("a", 599);
  assert.deepEqual(limiter.check("a"), { ok: true, retryAfterSeconds: 0, remaining: 1 });
  limiter.charge("a", 1);
  assert.deepEqual(limiter.check("a"), { ok: false, retryAfterSeconds: 1 });
  // Other clients have their own budget.
  assert.equal(limiter.check("b").ok, true);
  // 100 ms refill 1 token (600 a minute).
  now = 100;
  assert.deepEqual(limiter.check("a"), { ok: true, retryAfterSeconds: 0, remaining: 1 });
});

Deno.test("ClientTokenLimiter: an overrun is owed, and retry-after says when the budget is positive again", () => {
  let now = 0;
  const limiter = new ClientTokenLimiter({ tokensPerMinute: 1000, now: () => now });
  limiter.charge("a", 3000); // three minutes' worth in one request
  assert.deepEqual(limiter.check("a"), { ok: false, retryAfterSeconds: 121 });
  now = 120_000;
  assert.equal(limiter.check("a").ok, false);
  now = 120_001;
  assert.equal(limiter.check("a").ok, true);
  // Charges while owing add up from the owed time, not from now.
  limiter.charge("a", 500);
  now = 150_000;
  assert.equal(limiter.check("a").ok, false);
  now = 150_001;
  assert.equal(limiter.check("a").ok, true);
  // Fully refilled after its full time.
  now = 1_000_000;
  assert.deepEqual(limiter.check("a"), { ok: true, retryAfterSeconds: 0, remaining: 1000 });
});

Deno.test("ClientTokenLimiter ignores charges that are not a positive whole number", () => {
  const limiter = new ClientTokenLimiter({ tokensPerMinute: 10, now: () => 0 });
  for (const bad of [0, -5, 1.5, NaN, Infinity, 2 ** 60]) limiter.charge("a", bad);
  assert.deepEqual(limiter.check("a"), { ok: true, retryAfterSeconds: 0, remaining: 10 });
});

Deno.test("ClientTokenLimiter refuses a budget below 1 token a minute, naming the option", () => {
  for (const bad of [0, -1, 0.5, NaN, Infinity, "60000", undefined]) {
    assert.throws(
      () => new ClientTokenLimiter({ tokensPerMinute: bad as number }),
      /tokenLimit\.tokensPerMinute must be a number of tokens per minute of at least 1/,
    );
  }
});

Deno.test("ClientTokenLimiter: a clock set back does not add the jump to what a client owes", () => {
  let now = 10 * 3_600_000;
  const limiter = new ClientTokenLimiter({ tokensPerMinute: 100, now: () => now });
  limiter.charge("client-a", 150); // 90 s owed: positive again in 30 s
  assert.deepEqual(limiter.check("client-a"), { ok: false, retryAfterSeconds: 31 });
  now -= 3_600_000; // the system clock is set back an hour
  assert.deepEqual(limiter.check("client-a"), { ok: false, retryAfterSeconds: 31 });
  now += 31_000;
  assert.equal(limiter.check("client-a").ok, true);
  // Time runs on from there: a minute later the budget is whole again.
  now += 60_000;
  assert.equal(limiter.check("client-a").remaining, 100);
});
