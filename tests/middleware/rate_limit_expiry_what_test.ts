// The APITimeoutError of a call whose deadline passed in rateLimit()'s queue says what it waited
// for: the earlier calls (counted, "call" or "calls"), the requests- or the tokens-per-minute
// budget (a budget with a request or more left is not the one it waits for).
import assert from "node:assert/strict";
import { APITimeoutError } from "../../src/errors/api_error.ts";
import type { RateLimitOptions } from "../../src/middleware/rate_limit.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { gatedTerminal } from "./_context.ts";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

/** Calls cost their params.cost tokens; `call(id, cost, timeoutMs, extra)`. */
function setup(options: RateLimitOptions, answers: Record<string, Record<string, string>> = {}) {
  const { time, call } = rateLimitStack({
    estimateTokens: (params) => (params as { cost: number }).cost,
    ...options,
  }, { answer: (id) => Promise.resolve(new Response("ok", { headers: answers[id] })) });
  return {
    time,
    call: (id: string, cost: number, timeoutMs = 0, extra: Partial<MiddlewareContext> = {}) =>
      call(id, { params: { id, cost }, options: { timeoutMs, maxRetries: 0 }, ...extra }),
  };
}

/** `promise`'s APITimeoutError's message. */
async function expired(promise: Promise<unknown>): Promise<string> {
  const err = await state(promise);
  assert.ok(err instanceof APITimeoutError, String(err));
  return err.message;
}

Deno.test("rateLimit(): a call that ran out behind two earlier calls says '2 earlier calls to go'", async () => {
  const t = gatedTerminal();
  const { time, call } = rateLimitStack({ maxConcurrent: 1 }, { terminal: t.terminal });
  const timed = (id: string, timeoutMs: number) =>
    call(id, { options: { timeoutMs, maxRetries: 0 } });
  timed("a", 0);
  timed("b", 0);
  timed("c", 0);
  const d = timed("d", 1_000);
  await time.advance(1_000);
  assert.match(await expired(d), /waiting for 2 earlier calls to go;/);
});

Deno.test("rateLimit(): a call that ran out waiting for the tokens budget says so, with its estimate, while a request is left", async () => {
  // 12 requests a minute, 2 at once: 1 left after a, refilling 1 per 5 s; 100 tokens at once.
  const { time, call } = setup({ requestsPerMinute: 12, tokensPerMinute: 600 });
  assert.equal(await state(call("a", 100)), "resolved");
  const b = call("b", 100, 1_000);
  await time.advance(1_000);
  assert.match(
    await expired(b),
    /waiting for the tokens-per-minute budget \(100 tokens estimated\);/,
  );
});

Deno.test("rateLimit(): a call that ran out waiting for the tokens budget says so while a request of its deployment's learned budget is left", async () => {
  // The deployment sends its limit: 12 requests a minute, 2 at once.
  const { time, call } = setup({ tokensPerMinute: 600 }, {
    a: { "x-ratelimit-limit-requests": "12" },
  });
  assert.equal(await state(call("a", 100)), "resolved"); // all the tokens
  assert.equal(await state(call("x", 0)), "resolved"); // one of the deployment's 2 requests
  const b = call("b", 100, 1_000);
  await time.advance(1_000);
  assert.match(
    await expired(b),
    /waiting for the tokens-per-minute budget \(100 tokens estimated\);/,
  );
});

Deno.test("rateLimit(): a call to another deployment that ran out behind one held by the tokens budget says '1 earlier call to go'", async () => {
  const { time, call } = setup({ tokensPerMinute: 600 });
  assert.equal(await state(call("a", 100)), "resolved");
  const b = call("b", 100); // waits 10 s for the tokens
  const c = call("c", 0, 1_000, { deployment: "other" });
  await time.advance(1_000);
  assert.match(await expired(c), /waiting for 1 earlier call to go;/);
  assert.equal(await state(b), "pending");
});
