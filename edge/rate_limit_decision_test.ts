import assert from "node:assert/strict";
import { ClientRateLimiter } from "./rate_limit.ts";

Deno.test("ClientRateLimiter.take() answers retryAfterSeconds 0 when ok and remaining 0 when refused", () => {
  const limiter = new ClientRateLimiter({ requestsPerMinute: 2, now: () => 0 });
  assert.equal(limiter.requestsPerMinute, 2);
  assert.deepEqual(limiter.take("a"), { ok: true, remaining: 1, retryAfterSeconds: 0 });
  assert.deepEqual(limiter.take("a"), { ok: true, remaining: 0, retryAfterSeconds: 0 });
  assert.deepEqual(limiter.take("a"), { ok: false, remaining: 0, retryAfterSeconds: 30 });
});

Deno.test("ClientRateLimiter.take() rounds a partly refilled wait up to whole seconds, at least 1", () => {
  let now = 0;
  const limiter = new ClientRateLimiter({ requestsPerMinute: 3, now: () => now });
  for (let i = 0; i < 3; i++) assert.equal(limiter.take("a").ok, true);
  now = 990; // 19.01 s to go until the next request
  assert.equal(limiter.take("a").retryAfterSeconds, 20);
  now = 19_500; // half a second to go
  assert.equal(limiter.take("a").retryAfterSeconds, 1);
  now = 20_000;
  assert.equal(limiter.take("a").ok, true);
});

Deno.test("ClientRateLimiter.take() refills nothing between takes in the same ms", () => {
  // At 60 000 a minute one ms refills a whole request: a phantom ms per take would never run out.
  const limiter = new ClientRateLimiter({ requestsPerMinute: 60_000, now: () => 5 });
  for (let i = 0; i < 60_000; i++) assert.equal(limiter.take("a").ok, true);
  assert.deepEqual(limiter.take("a"), { ok: false, remaining: 0, retryAfterSeconds: 1 });
});

Deno.test("new ClientRateLimiter() without options throws the TypeError naming requestsPerMinute", () => {
  assert.throws(
    () => new ClientRateLimiter(undefined as never),
    (err) => err instanceof TypeError && /rateLimit\.requestsPerMinute must be/.test(err.message),
  );
});
