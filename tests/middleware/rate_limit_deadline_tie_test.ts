// A queued call whose timeoutMs ends exactly when its total deadline does is said, when it runs
// out in rateLimit()'s queue, to have run out of its timeoutMs (the one the caller set per
// attempt): the total deadline is named only when it comes first.
import assert from "node:assert/strict";
import { APITimeoutError } from "../../src/errors/api_error.ts";
import { DEADLINE_STATE_KEY } from "../../src/middleware/_deadline.ts";
import { gatedTerminal } from "./_context.ts";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

async function expiredWith(totalAt: number): Promise<string> {
  const t = gatedTerminal();
  const { time, call } = rateLimitStack({ maxConcurrent: 1 }, { terminal: t.terminal });
  call("a");
  const b = call("b", {
    options: { timeoutMs: 5_000, maxRetries: 0 },
    state: { [DEADLINE_STATE_KEY]: totalAt },
  });
  await time.advance(Math.min(totalAt, 5_000));
  const err = await state(b);
  assert.ok(err instanceof APITimeoutError, String(err));
  return err.message;
}

Deno.test("rateLimit(): a call whose timeoutMs and total deadline end together runs out of its timeoutMs", async () => {
  assert.match(await expiredWith(5_000), /ran out of its timeoutMs \(5000 ms\) after 5000 ms/);
});

Deno.test("rateLimit(): a call whose total deadline ends 1 ms before its timeoutMs runs out of its totalTimeoutMs", async () => {
  assert.match(await expiredWith(4_999), /ran out of its totalTimeoutMs after 4999 ms/);
});
