// A clock set back and the Deno KV token quota's calendar windows (a batch held behind a hung
// read when the clock went back: limits_kv_hang_test.ts).
import assert from "node:assert/strict";
import { DenoKvTokenQuota } from "../../edge/mod.ts";

const HOUR = 3_600_000;

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
