import assert from "node:assert/strict";
import { ClientTokenLimiter } from "./token_limit.ts";

Deno.test("ClientTokenLimiter: remaining is the budget less what is owed, whole (no float loss)", () => {
  const limiter = new ClientTokenLimiter({ tokensPerMinute: 100_000, now: () => 0 });
  limiter.charge("a", 60_001);
  assert.equal(limiter.check("a").remaining, 39_999);
  limiter.charge("a", 29_999);
  // 1 - 54000 / 60000 is 0.09999999999999998 in floats: it said 9 999 tokens, one short.
  assert.deepEqual(limiter.check("a"), { ok: true, retryAfterSeconds: 0, remaining: 10_000 });
  const thousand = new ClientTokenLimiter({ tokensPerMinute: 1000, now: () => 0 });
  thousand.charge("a", 66); // 1000 * (1 - 3960 / 60000) is 933.9999999999999
  assert.equal(thousand.check("a").remaining, 934);
});

Deno.test("ClientTokenLimiter: retry-after is the whole seconds until less than a minute is owed", () => {
  // 60 000 a minute: one token a ms.
  const limiter = new ClientTokenLimiter({ tokensPerMinute: 60_000, now: () => 0 });
  limiter.charge("a", 60_999); // under a minute owed in 1 s
  assert.deepEqual(limiter.check("a"), { ok: false, retryAfterSeconds: 1 });
  limiter.charge("a", 1); // 61 000 ms owed: 60 000 still owed after 1 s, so 2
  assert.deepEqual(limiter.check("a"), { ok: false, retryAfterSeconds: 2 });
});

Deno.test("ClientTokenLimiter: after the clock went back, time runs on from its latest reading", () => {
  let now = 10 * 3_600_000;
  const limiter = new ClientTokenLimiter({ tokensPerMinute: 100, now: () => now });
  limiter.charge("a", 150); // 90 s owed: positive again in 30 s
  now -= 3_600_000;
  assert.deepEqual(limiter.check("a"), { ok: false, retryAfterSeconds: 31 });
  now += 1_000; // one second on, not an hour and more
  assert.deepEqual(limiter.check("a"), { ok: false, retryAfterSeconds: 30 });
});

Deno.test("ClientTokenLimiter takes 1 token a minute, reports its budget, and names the option without options", () => {
  const limiter = new ClientTokenLimiter({ tokensPerMinute: 1, now: () => 0 });
  assert.equal(limiter.tokensPerMinute, 1);
  assert.deepEqual(limiter.check("a"), { ok: true, retryAfterSeconds: 0, remaining: 1 });
  assert.throws(
    () => new ClientTokenLimiter(undefined as never),
    (err) => err instanceof TypeError && /tokenLimit\.tokensPerMinute must be/.test(err.message),
  );
});
