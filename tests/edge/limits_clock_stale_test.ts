// The Deno KV token budget and quota stop holding a client's later charges behind a batch whose
// KV read hangs once it is a second old (KV_STALE_MS), by the store's clock. A clock set back
// meanwhile made that age negative: the batch never got old, and every later charge of the client
// waited behind the stuck read (each lost to the app's time limit) until the clock caught up again.
// A clock that went back from a batch's start now counts as its batch having gone stale too.
import assert from "node:assert/strict";
import { DenoKvRateLimiter, DenoKvTokenLimiter, DenoKvTokenQuota } from "../../edge/mod.ts";
import { firstReadHangs } from "./_kv_hang.ts";

const START = Date.parse("2026-03-14T10:00:00.000Z");
const HOUR = 3_600_000;

Deno.test("DenoKvTokenLimiter: a clock set back does not hold later charges behind a read that hangs", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = START;
  const limiter = new DenoKvTokenLimiter(firstReadHangs(kv), {
    tokensPerMinute: 60_000,
    now: () => now,
  });
  void limiter.charge("c", 100); // never written (the app reports it after its timeoutMs)
  now -= HOUR; // NTP steps the clock back
  await limiter.charge("c", 300);
  assert.deepEqual((await kv.get(["aoai-edge-tokens", "c"])).value, [now + 300, now]);
});

Deno.test("DenoKvTokenQuota: a clock set back does not hold later charges behind a read that hangs", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = START;
  const quota = new DenoKvTokenQuota(firstReadHangs(kv), {
    tokens: 1_000,
    period: "day",
    now: () => now,
  });
  void quota.charge("c", 100); // never written
  now -= HOUR; // the same day's window
  await quota.charge("c", 300);
  assert.equal((await quota.check("c")).remaining, 700);
});

Deno.test("DenoKvRateLimiter: a clock set back does not hold later takes behind a read that hangs", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = START;
  const limiter = new DenoKvRateLimiter(firstReadHangs(kv), {
    requestsPerMinute: 60,
    now: () => now,
  });
  void limiter.take("c"); // never answered (the app lets it through after its timeoutMs)
  now -= HOUR; // NTP steps the clock back
  const decision = await limiter.take("c");
  assert.equal(decision.ok, true);
});

// Checked, not a defect: a quota's windows are calendar periods read off the clock, so a clock set
// back across a boundary is in the previous window again until it re-crosses it, refusing a client
// that used that window up for as long as the clock is behind (never longer than the window), and
// the new window's count is left as it was.
Deno.test("DenoKvTokenQuota: a clock set back across a window's start refuses only until it is reached again", async () => {
  using kv = await Deno.openKv(":memory:");
  const boundary = Date.parse("2026-03-14T11:00:00.000Z");
  let now = boundary - 30_000;
  const quota = new DenoKvTokenQuota(kv, { tokens: 1_000, period: "hour", now: () => now });
  await quota.charge("c", 1_000);
  now = boundary + 10_000;
  await quota.charge("c", 200);
  now = boundary - 5_000; // set back 15 s: 10:59:55
  assert.deepEqual(await quota.check("c"), { ok: false, remaining: 0, resetAt: boundary });
  now = boundary;
  assert.deepEqual(await quota.check("c"), {
    ok: true,
    remaining: 800,
    resetAt: boundary + HOUR,
  });
});
