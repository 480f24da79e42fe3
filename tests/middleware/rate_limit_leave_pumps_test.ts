// A call at the head of rateLimit()'s queue, held by the instance's tokens budget, holds every
// later call. When it leaves (its signal aborts, or its deadline passes), a later call that fits
// the budget goes at once, not when the head's refill timer would have fired.
import assert from "node:assert/strict";
import { APITimeoutError, APIUserAbortError } from "../../src/errors/api_error.ts";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

function setup() {
  // 600 TPM, 10 s burst: 100 tokens at once, refilled at 10 a second; a call costs its params.cost.
  return rateLimitStack({
    tokensPerMinute: 600,
    estimateTokens: (params) => (params as { cost: number }).cost,
  });
}

Deno.test("rateLimit(): when the call at the head of the queue aborts, the small call after it goes at once", async () => {
  const { time, started, call } = setup();
  assert.equal(await state(call("a", { params: { id: "a", cost: 100 } })), "resolved");
  const caller = new AbortController();
  const b = call("b", { params: { id: "b", cost: 100 }, signal: caller.signal }); // waits 10 s
  const c = call("c", { params: { id: "c", cost: 0 } }); // fits, but waits behind b
  assert.equal(await state(c), "pending");
  caller.abort();
  assert.ok(await state(b) instanceof APIUserAbortError);
  assert.equal(await state(c), "resolved", "c went at b's abort, with no time passing");
  assert.equal(time.now(), 0);
  assert.deepEqual(started, ["a", "c"]);
});

Deno.test("rateLimit(): when the call at the head of the queue runs out of time, the small call after it goes then", async () => {
  const { time, started, call } = setup();
  assert.equal(await state(call("a", { params: { id: "a", cost: 100 } })), "resolved");
  const b = call("b", {
    params: { id: "b", cost: 100 },
    options: { timeoutMs: 3_000, maxRetries: 0 },
  });
  const c = call("c", { params: { id: "c", cost: 0 } });
  await time.advance(3_000);
  assert.ok(await state(b) instanceof APITimeoutError);
  assert.equal(await state(c), "resolved", "c went as b left at 3 s, not at b's 10 s refill");
  assert.deepEqual(started, ["a", "c"]);
});
