import assert from "node:assert/strict";
import { ClientTokenQuota } from "./token_quota.ts";

const HOUR = 3_600_000;

Deno.test("ClientTokenQuota counts a charge of 1 token", () => {
  const quota = new ClientTokenQuota({ tokens: 10, period: "hour", now: () => 0 });
  quota.charge("a", 1);
  assert.deepEqual(quota.check("a"), { ok: true, remaining: 9, resetAt: HOUR });
});

Deno.test("ClientTokenQuota.check() changes nothing: a clock set back after it reads the window's use", () => {
  // As DenoKvTokenQuota, whose counters are per window: checking the next window forgets nothing.
  let now = HOUR - 1_000;
  const quota = new ClientTokenQuota({ tokens: 10, period: "hour", now: () => now });
  quota.charge("a", 6);
  now = HOUR;
  assert.equal(quota.check("a").remaining, 10);
  now = HOUR - 500; // set back into the first hour
  assert.deepEqual(quota.check("a"), { ok: true, remaining: 4, resetAt: HOUR });
});

Deno.test("new ClientTokenQuota() without options throws the TypeError naming tokenQuota.tokens", () => {
  assert.throws(
    () => new ClientTokenQuota(undefined as never),
    (err) => err instanceof TypeError && /^tokenQuota\.tokens must be/.test(err.message),
  );
});
