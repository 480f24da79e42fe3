// tokenQuota / tokenLimit in memory: a client's next request sent right after it read a reply,
// while that reply is not charged yet (the charge is made off the client's path, a task later).
// The reply's tokens are known then, so the next request is judged by them, not by the estimate
// its request still held: a quota it used up is a 403 (which SDKs do not retry), not a 429.
import assert from "node:assert/strict";
import type { EdgeAppOptions } from "../../edge/mod.ts";
import { ask, bodyOf, heldApp, turns } from "./_token_budget.ts";

/**
 * Sends one chat (48 characters: 12 tokens held while in flight; its reply's usage is 10), reads
 * its reply, and at once sends a second one: its answer.
 */
async function nextRightAfterRead(options: Partial<EdgeAppOptions>) {
  const { app, state, open } = heldApp({ ...options, onError: () => {}, now: () => 0 });
  state.onCall = open;
  const first = await app.fetch(ask(bodyOf(48)));
  assert.equal(first.status, 200);
  await first.text();
  const res = await app.fetch(ask(bodyOf(48)));
  const body = await res.json();
  await turns();
  return { res, body };
}

Deno.test("tokenQuota (memory): a reply that used up the quota, read just before, makes the next request a 403", async () => {
  const { res, body } = await nextRightAfterRead({ tokenQuota: { tokens: 10, period: "day" } });
  assert.equal(res.status, 403, JSON.stringify(body));
  assert.equal(body.error.code, "TokenQuotaExceeded");
  assert.equal(res.headers.get("retry-after"), null);
});

Deno.test("tokenQuota (memory): a reply that left tokens, read just before, lets the next request through", async () => {
  // 11 tokens: 1 left once the 10 are charged, though the first request held 12.
  const { res, body } = await nextRightAfterRead({ tokenQuota: { tokens: 11, period: "day" } });
  assert.equal(res.status, 200, JSON.stringify(body));
});

Deno.test("tokenLimit (memory): a reply that used up the budget, read just before, gives the limiter's retry-after", async () => {
  // 10 tokens a minute, 10 charged: less than a minute's worth is owed again after 1 second
  // (not 18, which counted the 12 the first request held as still to come).
  const { res, body } = await nextRightAfterRead({ tokenLimit: { tokensPerMinute: 10 } });
  assert.equal(res.status, 429, JSON.stringify(body));
  assert.equal(res.headers.get("retry-after"), "1");
});

Deno.test("tokenLimit (memory): a reply that left tokens, read just before, lets the next request through", async () => {
  // 11 tokens a minute: 1 left once the 10 are charged, though the first request held 12.
  const { res, body } = await nextRightAfterRead({ tokenLimit: { tokensPerMinute: 11 } });
  assert.equal(res.status, 200, JSON.stringify(body));
});
