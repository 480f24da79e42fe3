// rateLimit()'s tokens budgets at the small costs: a call estimated at 0 tokens never waits for a
// tokens budget, even one in debt (a call above the burst took more than there was); a call of 1
// token waits for it and takes it. The same for the instance's budget and a deployment's learned
// one; a deployment that taught a requests budget only has no tokens budget to wait for.
import assert from "node:assert/strict";
import type { RateLimitOptions } from "../../src/middleware/rate_limit.ts";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

/** Calls cost their params.cost tokens; call "a"'s response has `headersOfA`. */
function setup(options: RateLimitOptions, headersOfA: Record<string, string> = {}) {
  const { time, started, call } = rateLimitStack({
    estimateTokens: (params) => (params as { cost: number }).cost,
    ...options,
  }, {
    answer: (id) => Promise.resolve(new Response("ok", { headers: id === "a" ? headersOfA : {} })),
  });
  return { time, started, call: (id: string, cost: number) => call(id, { params: { id, cost } }) };
}

/**
 * With a tokens budget of 600 a minute (100 at once, 10 a second) 100 tokens in debt: a call of 0
 * tokens goes at once, one of 1 token waits 10.1 s, the next one of 1 token 0.1 s more.
 */
async function assertSmallCosts({ time, started, call }: ReturnType<typeof setup>) {
  assert.equal(await state(call("free", 0)), "resolved", "0 tokens: no wait for the tokens");
  const one = call("one", 1);
  const next = call("next", 1);
  await time.advance(10_099);
  assert.equal(await state(one), "pending", "1 token waits while the budget is in debt");
  await time.advance(1);
  assert.equal(await state(one), "resolved", "1 token at 10.1 s");
  assert.equal(await state(next), "pending", "the 1 token the last call took");
  await time.advance(100);
  assert.equal(await state(next), "resolved");
  assert.deepEqual(started.slice(-3), ["free", "one", "next"]);
}

Deno.test("rateLimit(): with the instance's tokens budget in debt, a call of 0 tokens goes at once and one of 1 token waits and takes it", async () => {
  const stack = setup({ tokensPerMinute: 600 });
  assert.equal(await state(stack.call("a", 200)), "resolved", "200 tokens: 100 in debt");
  await assertSmallCosts(stack);
});

Deno.test("rateLimit(): with a deployment's learned tokens budget in debt, a call of 0 tokens goes at once and one of 1 token waits and takes it", async () => {
  const stack = setup({}, { "x-ratelimit-limit-tokens": "600" });
  assert.equal(await state(stack.call("a", 0)), "resolved", "teaches 600 tokens a minute");
  assert.equal(await state(stack.call("big", 200)), "resolved", "200 tokens: 100 in debt");
  await assertSmallCosts(stack);
});

Deno.test("rateLimit(): a deployment that taught a requests budget only has no tokens budget of its own to wait for", async () => {
  const { started, call } = setup({ tokensPerMinute: 600 }, {
    "x-ratelimit-remaining-requests": "50",
  });
  assert.equal(await state(call("a", 10)), "resolved");
  assert.equal(await state(call("b", 10)), "resolved");
  assert.deepEqual(started, ["a", "b"]);
});
