import assert from "node:assert/strict";
import { DenoKvRateLimiter } from "./rate_limit_deno_kv.ts";

const NOW = 1_700_000_000_000;

/** Requests a limiter at `rpm` lets through from a bucket full again at `fullAt` (ms). */
async function allowedFrom(rpm: number, fullAt: number): Promise<number> {
  using kv = await Deno.openKv(":memory:");
  await kv.set(["aoai-edge-rate", "0"], fullAt);
  const limiter = new DenoKvRateLimiter(kv, { requestsPerMinute: rpm, now: () => NOW });
  let allowed = 0;
  while ((await limiter.take("0")).ok) allowed++;
  return allowed;
}

Deno.test("DenoKvRateLimiter.take() forgives up to 1 ms of float rounding, never more", async () => {
  // 20 000 a minute: one every 3 ms. A bucket 1.2 ms short of 3 requests holds 2.
  assert.equal(await allowedFrom(20_000, NOW + 60_000 - 9 + 1.2), 2);
  // 24 000 a minute: one every 2.5 ms. 0.9 ms short of 3 is rounding: 3 go.
  assert.equal(await allowedFrom(24_000, NOW + 60_000 - 7.5 + 0.9), 3);
});

Deno.test("DenoKvRateLimiter.take() rounds retry-after up to the next whole second", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = NOW;
  const limiter = new DenoKvRateLimiter(kv, { requestsPerMinute: 3, now: () => now });
  for (let i = 0; i < 3; i++) assert.equal((await limiter.take("0")).ok, true);
  now = NOW + 990; // the next request goes in 19.01 s
  assert.deepEqual(await limiter.take("0"), { ok: false, remaining: 0, retryAfterSeconds: 20 });
});
