import assert from "node:assert/strict";
import { ClientRateLimiter } from "./rate_limit.ts";

Deno.test("ClientRateLimiter.take() allows a burst of requestsPerMinute then refuses", () => {
  let now = 0;
  const limiter = new ClientRateLimiter({ requestsPerMinute: 3, now: () => now });
  assert.deepEqual([1, 2, 3].map(() => limiter.take("0").ok), [true, true, true]);
  const refused = limiter.take("0");
  assert.equal(refused.ok, false);
  assert.equal(refused.retryAfterSeconds, 20);
  assert.equal(limiter.take("1").ok, true, "other clients have their own bucket");
  now += 20_000;
  assert.equal(limiter.take("0").ok, true);
  assert.equal(limiter.take("0").ok, false);
});

Deno.test("ClientRateLimiter refills no more than the bucket size", () => {
  let now = 0;
  const limiter = new ClientRateLimiter({ requestsPerMinute: 2, now: () => now });
  now += 3_600_000;
  assert.equal(limiter.take("a").remaining, 1);
  assert.equal(limiter.take("a").remaining, 0);
  assert.equal(limiter.take("a").ok, false);
});

Deno.test("new ClientRateLimiter() throws a TypeError for a non-positive rate", () => {
  assert.throws(() => new ClientRateLimiter({ requestsPerMinute: 0 }), /requestsPerMinute/);
});

Deno.test("ClientRateLimiter.take() lets one request through every 2 minutes when requestsPerMinute is 0.5", () => {
  let now = 0;
  const limiter = new ClientRateLimiter({ requestsPerMinute: 0.5, now: () => now });
  assert.equal(limiter.take("0").ok, true, "a fractional limit still allows a first request");
  const refused = limiter.take("0");
  assert.equal(refused.ok, false);
  assert.equal(refused.retryAfterSeconds, 120);
  now += 120_000;
  assert.equal(limiter.take("0").ok, true);
  assert.equal(limiter.take("0").ok, false);
});
