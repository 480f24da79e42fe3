// rateLimit() outside a timeout({ timeoutMs }) it cannot see: the wait in its queue counts against
// the first attempt, so a call that waited longer than that is refused by timeout() before it is
// sent; with maxRetries 0 no later attempt goes. What such a call took is given back. A call whose
// attempt went out and then timed out keeps what it took: the service saw (and counted) it.
import assert from "node:assert/strict";
import { compose } from "../../src/middleware/compose.ts";
import { rateLimit, type RateLimitOptions } from "../../src/middleware/rate_limit.ts";
import { retry } from "../../src/middleware/retry.ts";
import { timeout } from "../../src/middleware/timeout.ts";
import type { Middleware, Terminal } from "../../src/middleware/types.ts";
import { APITimeoutError } from "../../src/errors/api_error.ts";
import { makeContext } from "./_context.ts";
import { flush, virtualTime } from "./_virtual_time.ts";

/** Settles to the error, or to "pending" / "resolved". */
function state(promise: Promise<unknown>): Promise<unknown> {
  let settled: unknown = "pending";
  promise.then(() => settled = "resolved", (err) => settled = err);
  return flush().then(() => settled);
}

/**
 * rateLimit() over `inner` (default: timeout({ timeoutMs: 1000 })); calls have maxRetries 0 and
 * no timeoutMs of their own. The terminal answers at once, or never for an id in `hang`.
 */
function setup(options: RateLimitOptions, inner?: Middleware[], hang: string[] = []) {
  const time = virtualTime();
  const started: string[] = [];
  const terminal: Terminal = (ctx) => {
    const id = String((ctx.params as { id: string }).id);
    started.push(id);
    if (!hang.includes(id)) return Promise.resolve(new Response("ok"));
    // Until the attempt's deadline aborts it.
    return new Promise((_, reject) =>
      ctx.signal!.addEventListener("abort", () => reject(ctx.signal!.reason), { once: true })
    );
  };
  const run = compose(
    [
      rateLimit({ now: time.now, sleep: time.sleep, ...options }),
      ...inner ?? [timeout({ timeoutMs: 1_000, now: time.now })],
    ],
    terminal,
  );
  const call = (id: string) => {
    const ctx = makeContext({ params: { id }, options: { timeoutMs: 0, maxRetries: 0 } });
    const result = run(ctx).then(async (res) => new Response(await res.arrayBuffer(), res));
    result.catch(() => {});
    return result;
  };
  return { time, started, call };
}

Deno.test("rateLimit() + timeout({ timeoutMs }), maxRetries 0: a call refused unsent for its wait in the queue gives back its request", async () => {
  // One request per 10 s (burst 1).
  const { time, started, call } = setup({ requestsPerMinute: 6, burstSeconds: 10 });
  assert.equal(await state(call("a")), "resolved");
  const b = call("b");
  await time.advance(10_000);
  const err = await state(b);
  assert.ok(err instanceof APITimeoutError, String(err));
  assert.deepEqual(started, ["a"], "b was never sent");
  assert.equal(await state(call("c")), "resolved", "b's request went back: c goes at once");
  assert.deepEqual(started, ["a", "c"]);
});

Deno.test("rateLimit() + retry({ maxRetries: 0 }) + timeout({ timeoutMs }): the refused call gives back its tokens", async () => {
  // 600 tokens per minute, burst 10 s: 100 at once; every call is estimated at 100.
  const { time, started, call } = setup(
    { tokensPerMinute: 600, estimateTokens: () => 100 },
    [retry({ maxRetries: 0 }), timeout({ timeoutMs: 1_000 })],
  );
  assert.equal(await state(call("a")), "resolved");
  const b = call("b");
  await time.advance(10_000);
  assert.ok(await state(b) instanceof APITimeoutError);
  assert.equal(await state(call("c")), "resolved", "b's 100 tokens went back");
  assert.deepEqual(started, ["a", "c"]);
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
