// rateLimit() sits outside timeout(): a timeout({ totalTimeoutMs }) of the stack is invisible to its
// queue, so a call could wait past that deadline, then be refused by timeout() without being sent,
// while the requests and tokens it took stayed spent. What such a call took is given back; a call
// that went out keeps what it took.
import assert from "node:assert/strict";
import { compose } from "./compose.ts";
import { rateLimit, type RateLimitOptions } from "./rate_limit.ts";
import { retry } from "./retry.ts";
import { timeout } from "./timeout.ts";
import type { Middleware, Terminal } from "./types.ts";
import { APIConnectionError, APITimeoutError } from "../errors/api_error.ts";
import { makeContext } from "../../tests/middleware/_context.ts";
import { flush, virtualTime } from "../../tests/middleware/_virtual_time.ts";

/** Settles to the error, or to "pending" / "resolved". */
function state(promise: Promise<unknown>): Promise<unknown> {
  let settled: unknown = "pending";
  promise.then(() => settled = "resolved", (err) => settled = err);
  return flush().then(() => settled);
}

/**
 * rateLimit() over `inner` (timeout({ totalTimeoutMs: 5000 }) on the same clock, by default); the
 * terminal answers at once, or with what `answer` gives for a call's id.
 */
function setup(
  options: RateLimitOptions,
  answer: (id: string) => Promise<Response> = () => Promise.resolve(new Response("ok")),
  inner?: (time: ReturnType<typeof virtualTime>) => Middleware[],
) {
  const time = virtualTime();
  const started: string[] = [];
  const terminal: Terminal = (ctx) => {
    const id = String((ctx.params as { id: string }).id);
    started.push(id);
    return answer(id);
  };
  const layers = inner?.(time) ?? [timeout({ totalTimeoutMs: 5_000, now: time.now })];
  const run = compose(
    [rateLimit({ now: time.now, sleep: time.sleep, ...options }), ...layers],
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

Deno.test("rateLimit() + timeout({ totalTimeoutMs }): a call whose total deadline passed in the queue is not sent and gives back the request it took", async () => {
  // One request per 10 s (burst 1).
  const { time, started, call } = setup({ requestsPerMinute: 6, burstSeconds: 10 });
  assert.equal(await state(call("a")), "resolved");
  const b = call("b");
  await time.advance(10_000);
  const err = await state(b);
  assert.ok(err instanceof APITimeoutError, String(err));
  assert.match(String(err), /totalTimeoutMs/);
  assert.deepEqual(started, ["a"], "b was never sent");
  // b's request went back: c goes at once instead of 10 s later.
  assert.equal(await state(call("c")), "resolved");
  assert.deepEqual(started, ["a", "c"]);
});

Deno.test("rateLimit() + timeout({ totalTimeoutMs }): a call refused for its spent total deadline gives back its tokens", async () => {
  // 600 tokens per minute, burst 10 s: 100 at once; every call is estimated at 100.
  const { time, started, call } = setup({ tokensPerMinute: 600, estimateTokens: () => 100 });
  assert.equal(await state(call("a")), "resolved");
  const b = call("b");
  await time.advance(10_000);
  assert.ok(await state(b) instanceof APITimeoutError);
  assert.equal(await state(call("c")), "resolved", "b's 100 tokens went back");
  assert.deepEqual(started, ["a", "c"]);
});

Deno.test("rateLimit() + retry() + timeout({ totalTimeoutMs }): the refused call gives back what it took, once, through retry()", async () => {
  const { time, started, call } = setup(
    { requestsPerMinute: 6, burstSeconds: 10 },
    undefined,
    (time) => [
      retry({ maxRetries: 3, sleep: time.sleep, now: time.now, random: () => 0.5 }),
      timeout({ totalTimeoutMs: 5_000, now: time.now }),
    ],
  );
  assert.equal(await state(call("a")), "resolved");
  const b = call("b");
  await time.advance(10_000);
  assert.ok(await state(b) instanceof APITimeoutError);
  assert.deepEqual(started, ["a"]);
  // One request given back, not more: c goes, d waits.
  const c = call("c");
  const d = call("d");
  assert.equal(await state(c), "resolved");
  assert.equal(await state(d), "pending");
  assert.deepEqual(started, ["a", "c"]);
  await time.advance(10_000);
  assert.ok(await state(d) instanceof APITimeoutError, "d too waited past its 5 s");
});

Deno.test("rateLimit(): a call that went out and failed keeps the request and tokens it took", async () => {
  const { time, started, call } = setup(
    { requestsPerMinute: 6, burstSeconds: 10 },
    (id) =>
      id === "a"
        ? Promise.reject(new APIConnectionError("reset"))
        : Promise.resolve(new Response("ok")),
    (time) => [timeout({ totalTimeoutMs: 60_000, now: time.now })],
  );
  assert.ok(await state(call("a")) instanceof APIConnectionError);
  const b = call("b");
  assert.equal(await state(b), "pending", "a's request stays spent");
  await time.advance(10_000);
  assert.equal(await state(b), "resolved");
  assert.deepEqual(started, ["a", "b"]);
});
