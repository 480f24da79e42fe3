// rateLimit() over retry() (the client's order): each attempt that got an answer reached Azure,
// which counts it against the deployment's requests-per-minute quota, except a 429 (the service
// refused it). The call took one request when it went; each further attempt answered with
// anything but a 429 takes one more. An attempt that failed with no answer (a connection error)
// is not charged: nothing tells whether it reached the service.
import assert from "node:assert/strict";
import { compose } from "../../src/middleware/compose.ts";
import { rateLimit } from "../../src/middleware/rate_limit.ts";
import { retry } from "../../src/middleware/retry.ts";
import type { Middleware, Terminal } from "../../src/middleware/types.ts";
import { APIConnectionError } from "../../src/errors/api_error.ts";
import { makeContext } from "./_context.ts";
import { flush, virtualTime } from "./_virtual_time.ts";

type Answer = number | Error;

/**
 * One request per 10 s (burst 1) on a virtual clock; retry() (up to 2 retries, no backoff) inside
 * rateLimit(), or outside it with `retryOutside`. Call `id`'s attempts get `answers[id]` in turn
 * (then 200); `started` records each attempt sent as id + attempt.
 */
function setup(answers: Record<string, Answer[]>, retryOutside = false) {
  const time = virtualTime();
  const started: string[] = [];
  const terminal: Terminal = (ctx) => {
    const id = String((ctx.params as { id: string }).id);
    started.push(`${id}${ctx.attempt}`);
    const a = answers[id]?.[ctx.attempt - 1] ?? 200;
    if (a instanceof Error) return Promise.reject(a);
    const headers = a === 429 ? { "retry-after-ms": "1" } : undefined;
    return Promise.resolve(new Response("{}", { status: a, headers }));
  };
  const limit = rateLimit({ requestsPerMinute: 6, burstSeconds: 10, ...time });
  const again: Middleware = retry({ maxRetries: 2, sleep: () => Promise.resolve() });
  const run = compose(retryOutside ? [again, limit] : [limit, again], terminal);
  const call = (id: string) => {
    let settled: unknown = "pending";
    const ctx = makeContext({ params: { id }, options: { timeoutMs: 0, maxRetries: 2 } });
    run(ctx).then((res) => settled = res.status, (err) => settled = err);
    return () => flush().then(() => settled);
  };
  return { time, started, call };
}

Deno.test("rateLimit() over retry(): a call retried after a 503 takes a request per attempt", async () => {
  const { time, started, call } = setup({ a: [503] });
  assert.equal(await call("a")(), 200);
  assert.deepEqual(started, ["a1", "a2"], "two requests reached the service");
  const b = call("b");
  await time.advance(10_000);
  assert.equal(await b(), "pending", "10 s refill one request; a spent two");
  assert.deepEqual(started, ["a1", "a2"]);
  await time.advance(10_000);
  assert.equal(await b(), 200);
  assert.deepEqual(started, ["a1", "a2", "b1"]);
});

Deno.test("rateLimit() over retry(): two 500s then a 200 take three requests", async () => {
  const { time, started, call } = setup({ a: [500, 500] });
  assert.equal(await call("a")(), 200);
  const b = call("b");
  await time.advance(20_000);
  assert.equal(await b(), "pending");
  await time.advance(10_000);
  assert.equal(await b(), 200);
  assert.deepEqual(started, ["a1", "a2", "a3", "b1"]);
});

Deno.test("rateLimit() over retry(): a 429 retried is not charged (Azure does not count it)", async () => {
  const { time, started, call } = setup({ a: [429] });
  assert.equal(await call("a")(), 200);
  const b = call("b");
  await time.advance(10_000);
  assert.equal(await b(), 200, "one request counted: b goes after 10 s");
  assert.deepEqual(started, ["a1", "a2", "b1"]);
});

Deno.test("rateLimit() over retry(): an attempt that failed with no answer is not charged", async () => {
  const { time, started, call } = setup({ a: [new APIConnectionError("reset")] });
  assert.equal(await call("a")(), 200);
  const b = call("b");
  await time.advance(10_000);
  assert.equal(await b(), 200);
  assert.deepEqual(started, ["a1", "a2", "b1"]);
});

Deno.test("rateLimit() inside retry(): each attempt takes its own request, once", async () => {
  const { time, started, call } = setup({ a: [503] }, true);
  const a = call("a");
  assert.equal(await a(), "pending", "a's retry waits for a request");
  assert.deepEqual(started, ["a1"]);
  const b = call("b");
  await time.advance(10_000);
  assert.equal(await a(), 200);
  assert.equal(await b(), "pending");
  await time.advance(10_000);
  assert.equal(await b(), 200, "the attempt observers charged nothing more");
  assert.deepEqual(started, ["a1", "a2", "b1"]);
});
