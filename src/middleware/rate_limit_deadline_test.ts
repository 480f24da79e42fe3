// A call waiting in rateLimit()'s queue (the layer sits outside retry() and timeout()) waited with
// no bound but the caller's signal and maxQueue: a call with timeoutMs 5000 could wait minutes.
// The wait now counts against the call's deadlines: its timeoutMs from when it reached the queue,
// and a total deadline already running; an inner timeout() counts the wait too.
import assert from "node:assert/strict";
import type { RateLimitOptions } from "./rate_limit.ts";
import { QUEUED_MS_STATE_KEY, timeout } from "./timeout.ts";
import { DEADLINE_STATE_KEY } from "./_deadline.ts";
import type { Middleware, MiddlewareContext, Terminal } from "./types.ts";
import { APITimeoutError, APIUserAbortError } from "../errors/api_error.ts";
import { gatedTerminal } from "../../tests/middleware/_context.ts";
import { flush } from "../../tests/middleware/_virtual_time.ts";
import { rateLimitStack, state } from "../../tests/middleware/_rate_limit_stack.ts";
import { countedSignal } from "../../tests/helpers/counted_signal.ts";

function setup(options: RateLimitOptions, terminal: Terminal, inner: Middleware[] = []) {
  const { time, call } = rateLimitStack(options, { terminal, inner: () => inner });
  return {
    time,
    call: (id: string, timeoutMs: number, extra: Partial<MiddlewareContext> = {}) =>
      call(id, { options: { timeoutMs, maxRetries: 0 }, ...extra }),
  };
}

Deno.test("rateLimit(): a call queued for a slot fails with APITimeoutError at its timeoutMs, taking nothing and leaving no timer or listener", async () => {
  const t = gatedTerminal();
  const { time, call } = setup({ maxConcurrent: 1 }, t.terminal);
  const first = call("a", 0);
  await flush();
  const { signal, listeners } = countedSignal();
  const second = call("b", 5_000, { signal });
  await flush();
  assert.equal(listeners(), 1, "the queued call listens to its signal");
  assert.equal(time.pending(), 1, "one timer: the queued call's deadline");
  await time.advance(4_999);
  assert.equal(await state(second), "pending");
  await time.advance(1);
  const err = await state(second);
  assert.ok(err instanceof APITimeoutError, String(err));
  assert.match(
    err.message,
    /ran out of its timeoutMs \(5000 ms\) after 5000 ms in rateLimit\(\)'s queue, waiting for a concurrency slot \(maxConcurrent 1\)/,
  );
  assert.equal(listeners(), 0, "no listener left on the caller's signal");
  assert.equal(time.pending(), 0, "no timer left");
  assert.deepEqual(t.started, ["a"], "the expired call was never sent");
  // It released nothing: the slot is still the first call's, then free for exactly one more.
  const third = call("c", 0);
  const fourth = call("d", 0);
  await flush();
  assert.deepEqual(t.started, ["a"]);
  t.finish("a");
  await first;
  await flush();
  assert.deepEqual(t.started, ["a", "c"]);
  t.finish("c");
  await third;
  await flush();
  t.finish("d");
  await fourth;
  assert.deepEqual(t.started, ["a", "c", "d"]);
});

Deno.test("rateLimit(): the expired head of the queue lets the next call go when the budget allows it", async () => {
  // 6 requests per minute, burst 1: one every 10 s.
  const { time, call } = setup(
    { requestsPerMinute: 6, burstSeconds: 10 },
    () => Promise.resolve(new Response("ok")),
  );
  await call("a", 0);
  const b = call("b", 4_000);
  const c = call("c", 0);
  await time.advance(4_000);
  const err = await state(b);
  assert.ok(err instanceof APITimeoutError, String(err));
  assert.match(err.message, /waiting for the requests-per-minute budget/);
  assert.equal(await state(c), "pending");
  await time.advance(6_000);
  assert.equal(await state(c), "resolved");
  assert.equal(time.pending(), 0);
});

Deno.test("rateLimit(): a call behind others names them; one that goes before its deadline keeps no timer", async () => {
  const t = gatedTerminal();
  const { time, call } = setup({ maxConcurrent: 1 }, t.terminal);
  const a = call("a", 0);
  const b = call("b", 60_000);
  const c = call("c", 1_000);
  await flush();
  assert.equal(time.pending(), 2);
  await time.advance(1_000);
  const err = await state(c);
  assert.ok(err instanceof APITimeoutError);
  assert.match(err.message, /waiting for 1 earlier call to go/);
  t.finish("a");
  await a;
  await flush();
  assert.deepEqual(t.started, ["a", "b"]);
  assert.equal(time.pending(), 0, "b's deadline timer went when it left the queue");
  t.finish("b");
  await time.advance(120_000);
  assert.equal(await state(b), "resolved");
});

Deno.test("rateLimit(): a total deadline already running bounds the wait when it comes first; timeoutMs 0 and none wait on", async () => {
  const t = gatedTerminal();
  const { time, call } = setup({ maxConcurrent: 1 }, t.terminal);
  const a = call("a", 0);
  const b = call("b", 5_000, { state: { [DEADLINE_STATE_KEY]: 2_000 } });
  const c = call("c", 0);
  await time.advance(2_000);
  const err = await state(b);
  assert.ok(err instanceof APITimeoutError);
  assert.match(err.message, /ran out of its totalTimeoutMs after 2000 ms in rateLimit\(\)'s queue/);
  // A deadline already passed rejects at once, without queueing.
  const d = call("d", 5_000, { state: { [DEADLINE_STATE_KEY]: 0 } });
  const dErr = await state(d);
  assert.ok(dErr instanceof APITimeoutError);
  assert.match(dErr.message, /after 0 ms in rateLimit\(\)'s queue/);
  await time.advance(3_600_000);
  assert.equal(await state(c), "pending", "no deadline: waits on");
  t.finish("a");
  await a;
  await flush();
  t.finish("c");
  assert.equal(await state(c), "resolved");
  assert.deepEqual(t.started, ["a", "c"]);
});

Deno.test("rateLimit(): a queued call with a deadline that the caller aborts gets APIUserAbortError and leaves no timer", async () => {
  const t = gatedTerminal();
  const { time, call } = setup({ maxConcurrent: 1 }, t.terminal);
  const a = call("a", 0);
  const { controller, signal } = countedSignal();
  const b = call("b", 5_000, { signal });
  await flush();
  assert.equal(time.pending(), 1);
  controller.abort();
  assert.ok(await state(b) instanceof APIUserAbortError);
  assert.equal(time.pending(), 0, "its deadline timer went with it");
  t.finish("a");
  await a;
});

Deno.test("rateLimit() + timeout(): the wait in the queue counts against the total deadline and the first attempt", async () => {
  const t = gatedTerminal();
  const seen: unknown[] = [];
  const spy: Middleware = (ctx, next) => (seen.push(ctx.state[DEADLINE_STATE_KEY]), next());
  const clock = { now: 0 };
  const { time, call } = setup({ maxConcurrent: 1 }, t.terminal, [
    timeout({ totalTimeoutMs: 90_000, now: () => clock.now }),
    spy,
  ]);
  const a = call("a", 0);
  const b = call("b", 0);
  await flush();
  await time.advance(30_000);
  clock.now = 30_000;
  t.finish("a");
  await a;
  await flush();
  // b reached the queue at 0: its total deadline is 90 s from then, not from its attempt.
  assert.deepEqual(seen, [90_000, 90_000]);
  t.finish("b");
  await b;
  assert.equal(b.ctx.state[QUEUED_MS_STATE_KEY], 0, "nothing left for a later attempt");
});

Deno.test("rateLimit() + timeout(): an attempt whose timeoutMs was spent in the queue is not sent", async () => {
  const t = gatedTerminal();
  // timeout()'s own timeoutMs (1 s) is shorter than the call's (which rateLimit() sees).
  const { time, call } = setup({ maxConcurrent: 1 }, t.terminal, [timeout({ timeoutMs: 1_000 })]);
  const a = call("a", 0);
  const b = call("b", 0);
  await flush();
  await time.advance(3_000);
  const c = call("c", 0); // queued behind b, for no time
  await flush();
  t.finish("a");
  await a;
  const err = await state(b);
  assert.ok(err instanceof APITimeoutError, String(err));
  assert.match(err.message, /ran out of its timeoutMs before attempt 1/);
  await flush();
  // b released the slot it took: c went.
  assert.deepEqual(t.started, ["a", "c"]);
  t.finish("c");
  await c;
});

Deno.test("rateLimit() + timeout(): the first attempt after a wait gets what is left of its timeoutMs", async () => {
  // The terminal hangs until its signal aborts; the attempt has 20 ms left of 5000 (real timer).
  const hang: Terminal = (ctx) =>
    new Promise((_, reject) =>
      ctx.signal?.addEventListener("abort", () => reject(ctx.signal?.reason))
    );
  const gate = gatedTerminal();
  const terminal: Terminal = (ctx) =>
    (ctx.params as { id: string }).id === "a" ? gate.terminal(ctx) : hang(ctx);
  const { time, call } = setup({ maxConcurrent: 1 }, terminal, [timeout()]);
  const a = call("a", 0);
  const b = call("b", 5_000);
  await time.advance(4_980);
  gate.finish("a");
  await a;
  await assert.rejects(b, (err: Error) => {
    assert.ok(err instanceof APITimeoutError, String(err));
    assert.match(err.message, /timed out after 20 ms/);
    return true;
  });
});

Deno.test("rateLimit(): a call whose deadline comes as the pause it waits for ends leaves the queue with APITimeoutError, taking nothing", async () => {
  // One request a second (burst 1). a's 429 pauses everyone for 5 s; b (timeoutMs 5000) waits
  // for that pause and reaches its deadline as the pause ends: it must not go with 0 ms left (an
  // inner timeout() would refuse it unsent, the request it took spent).
  const answers = [new Response("busy", { status: 429, headers: { "retry-after": "5" } })];
  const started: string[] = [];
  const terminal: Terminal = (ctx) => {
    started.push(String((ctx.params as { id: string }).id));
    return Promise.resolve(answers.shift() ?? new Response("ok"));
  };
  const { time, call } = setup({ requestsPerMinute: 60, burstSeconds: 1 }, terminal, [timeout()]);
  assert.equal(await state(call("a", 0)), "resolved");
  const b = call("b", 5_000);
  await flush();
  await time.advance(5_000);
  const err = await state(b);
  assert.ok(err instanceof APITimeoutError, String(err));
  assert.match(
    err.message,
    /after 5000 ms in rateLimit\(\)'s queue, waiting for the end of a pause/,
  );
  assert.deepEqual(started, ["a"]);
  // b took no request: c goes at once.
  assert.equal(await state(call("c", 0)), "resolved");
  assert.deepEqual(started, ["a", "c"]);
  assert.equal(time.pending(), 0);
});
