// rateLimit() sits outside timeout(): a timeout({ totalTimeoutMs }) of the stack is invisible to its
// queue, so a call could wait past that deadline, then be refused by timeout() without being sent,
// while the requests and tokens it took stayed spent. What such a call took is given back; a call
// that went out keeps what it took.
import assert from "node:assert/strict";
import type { RateLimitOptions } from "./rate_limit.ts";
import { retry } from "./retry.ts";
import { timeout } from "./timeout.ts";
import type { Middleware } from "./types.ts";
import { APIConnectionError, APITimeoutError } from "../errors/api_error.ts";
import {
  rateLimitStack,
  refusedAndRefunded,
  state,
} from "../../tests/middleware/_rate_limit_stack.ts";
import type { virtualTime } from "../../tests/middleware/_virtual_time.ts";

/**
 * rateLimit() over `inner` (timeout({ totalTimeoutMs: 5000 }) on the same clock, by default); the
 * terminal answers at once, or with what `answer` gives for a call's id.
 */
function setup(
  options: RateLimitOptions,
  answer?: (id: string) => Promise<Response>,
  inner?: (time: ReturnType<typeof virtualTime>) => Middleware[],
) {
  return rateLimitStack(options, {
    answer,
    inner: inner ?? ((time) => [timeout({ totalTimeoutMs: 5_000, now: time.now })]),
  });
}

Deno.test("rateLimit() + timeout({ totalTimeoutMs }): a call whose total deadline passed in the queue is not sent and gives back the request it took", async () => {
  // One request per 10 s (burst 1).
  const err = await refusedAndRefunded(setup({ requestsPerMinute: 6, burstSeconds: 10 }));
  assert.ok(err instanceof APITimeoutError, String(err));
  assert.match(String(err), /totalTimeoutMs/);
});

Deno.test("rateLimit() + timeout({ totalTimeoutMs }): a call refused for its spent total deadline gives back its tokens", async () => {
  // 600 tokens per minute, burst 10 s: 100 at once; every call is estimated at 100.
  const err = await refusedAndRefunded(setup({ tokensPerMinute: 600, estimateTokens: () => 100 }));
  assert.ok(err instanceof APITimeoutError, String(err));
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
