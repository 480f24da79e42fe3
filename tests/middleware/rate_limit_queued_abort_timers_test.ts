// A call queued in rateLimit() waits on timers (its deadline, the budget's refill); while it waits,
// that keeps the process alive, as any pending call's timer does. Once the caller's signal aborts,
// the call leaves the queue at once and no timer of it stays armed (a 60 s one would hold the
// process that long).
import assert from "node:assert/strict";
import { compose } from "../../src/middleware/compose.ts";
import { rateLimit, type RateLimitOptions } from "../../src/middleware/rate_limit.ts";
import { APIUserAbortError } from "../../src/errors/api_error.ts";
import { gatedTerminal, makeContext } from "./_context.ts";
import { flush, virtualTime } from "./_virtual_time.ts";

function setup(options: RateLimitOptions) {
  const time = virtualTime();
  const gate = gatedTerminal();
  const run = compose(
    [rateLimit({ now: time.now, sleep: time.sleep, ...options })],
    gate.terminal,
  );
  const call = (id: string, signal?: AbortSignal) =>
    run(makeContext({ params: { id }, signal, options: { timeoutMs: 60_000, maxRetries: 0 } }));
  return { ...gate, time, call };
}

Deno.test("rateLimit(): a call queued for a slot, with a 60 s deadline, leaves at its signal's abort and frees its timer", async () => {
  const { started, finish, time, call } = setup({ maxConcurrent: 1 });
  const a = call("a");
  await flush();
  const caller = new AbortController();
  const b = call("b", caller.signal);
  await flush();
  assert.equal(time.pending(), 1, "b's deadline");
  caller.abort();
  await assert.rejects(b, APIUserAbortError);
  assert.equal(time.pending(), 0, "no timer of b left");
  finish("a");
  await (await a).text();
  assert.deepEqual(started, ["a"], "b never went");
});

Deno.test("rateLimit(): calls queued for the requests budget leave at their signals' abort, and the refill timer goes with the last", async () => {
  const { started, finish, time, call } = setup({ requestsPerMinute: 1, burstSeconds: 1 });
  const a = call("a");
  await flush();
  const callers = [new AbortController(), new AbortController()];
  const queued = callers.map((c, i) => call(`q${i}`, c.signal));
  await flush();
  assert.equal(time.pending(), 3, "two deadlines and the refill");
  // The later one first: the head still waits for the refill.
  callers[1].abort();
  await assert.rejects(queued[1], APIUserAbortError);
  assert.equal(time.pending(), 2);
  callers[0].abort();
  await assert.rejects(queued[0], APIUserAbortError);
  assert.equal(time.pending(), 0, "nobody waits: no timer left");
  finish("a");
  await (await a).text();
  assert.deepEqual(started, ["a"]);
});
