// rateLimit() outside a timeout({ timeoutMs }) it cannot see: the wait in its queue counts against
// the first attempt, so a call that waited longer than that is refused by timeout() before it is
// sent; with maxRetries 0 no later attempt goes. What such a call took is given back. A call whose
// attempt went out and then timed out keeps what it took: the service saw (and counted) it.
import assert from "node:assert/strict";
import type { RateLimitOptions } from "../../src/middleware/rate_limit.ts";
import { retry } from "../../src/middleware/retry.ts";
import { timeout } from "../../src/middleware/timeout.ts";
import type { Middleware } from "../../src/middleware/types.ts";
import { APITimeoutError } from "../../src/errors/api_error.ts";
import { rateLimitStack, refusedAndRefunded, state } from "./_rate_limit_stack.ts";

/**
 * rateLimit() over `inner` (default: timeout({ timeoutMs: 1000 })); calls have maxRetries 0 and
 * no timeoutMs of their own. The terminal answers at once, or never for an id in `hang`.
 */
function setup(options: RateLimitOptions, inner?: Middleware[], hang: string[] = []) {
  return rateLimitStack(options, {
    inner: (time) => inner ?? [timeout({ timeoutMs: 1_000, now: time.now })],
    answer: (id, ctx) =>
      hang.includes(id)
        // Until the attempt's deadline aborts it.
        ? new Promise((_, reject) =>
          ctx.signal!.addEventListener("abort", () => reject(ctx.signal!.reason), { once: true })
        )
        : Promise.resolve(new Response("ok")),
  });
}

Deno.test("rateLimit() + timeout({ timeoutMs }), maxRetries 0: a call refused unsent for its wait in the queue gives back its request", async () => {
  // One request per 10 s (burst 1).
  const err = await refusedAndRefunded(setup({ requestsPerMinute: 6, burstSeconds: 10 }));
  assert.ok(err instanceof APITimeoutError, String(err));
});

Deno.test("rateLimit() + retry({ maxRetries: 0 }) + timeout({ timeoutMs }): the refused call gives back its tokens", async () => {
  // 600 tokens per minute, burst 10 s: 100 at once; every call is estimated at 100.
  const err = await refusedAndRefunded(setup(
    { tokensPerMinute: 600, estimateTokens: () => 100 },
    [retry({ maxRetries: 0 }), timeout({ timeoutMs: 1_000 })],
  ));
  assert.ok(err instanceof APITimeoutError, String(err));
});

Deno.test("rateLimit() + timeout({ timeoutMs }): an attempt that went out and timed out keeps its request", async () => {
  const { time, started, call } = setup(
    { requestsPerMinute: 6, burstSeconds: 10 },
    [timeout({ timeoutMs: 5 })],
    ["a"],
  );
  // a is sent, then its real 5 ms deadline passes while the service says nothing.
  const err = await call("a").catch((e) => e);
  assert.ok(err instanceof APITimeoutError, String(err));
  assert.ok(err.cause !== undefined);
  const b = call("b");
  assert.equal(await state(b), "pending", "a reached the service: its request stays spent");
  // b waited 10 s of its 5 ms: refused unsent, it gives back the request it took then.
  await time.advance(10_000);
  assert.ok(await state(b) instanceof APITimeoutError);
  assert.equal(await state(call("c")), "resolved");
  assert.deepEqual(started, ["a", "c"]);
});
