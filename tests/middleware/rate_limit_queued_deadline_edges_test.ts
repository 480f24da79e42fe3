// A queued call's timeoutMs at rateLimit()'s edges: with 1 ms left it waits that 1 ms (a slot that
// comes free within it lets the call go; it leaves with APITimeoutError only when it ends), and it
// counts up to the longest timer (2^31 - 1 ms); one past it is no deadline, as for timeout(): the
// call waits for its turn however long.
import assert from "node:assert/strict";
import { compose } from "../../src/middleware/compose.ts";
import { rateLimit } from "../../src/middleware/rate_limit.ts";
import { APITimeoutError } from "../../src/errors/api_error.ts";
import { gatedTerminal, makeContext } from "./_context.ts";
import { flush, virtualTime } from "./_virtual_time.ts";
import { state } from "./_rate_limit_stack.ts";

function setup() {
  const time = virtualTime();
  const gate = gatedTerminal();
  const run = compose(
    [rateLimit({ maxConcurrent: 1, now: time.now, sleep: time.sleep })],
    gate.terminal,
  );
  const call = (id: string, timeoutMs: number) =>
    run(makeContext({ params: { id }, options: { timeoutMs, maxRetries: 0 } }));
  return { ...gate, time, call };
}

Deno.test("rateLimit(): a queued call with a timeoutMs of 1 ms waits 1 ms, then leaves with APITimeoutError", async () => {
  const { started, time, call } = setup();
  call("a", 0);
  const b = call("b", 1);
  assert.equal(await state(b), "pending", "b is not refused before its 1 ms passed");
  await time.advance(1);
  assert.ok(await state(b) instanceof APITimeoutError);
  assert.deepEqual(started, ["a"]);
});

Deno.test("rateLimit(): a queued call with a timeoutMs of 1 ms goes when the slot comes free at once", async () => {
  const { started, finish, call } = setup();
  const a = call("a", 0);
  const b = call("b", 1);
  await flush();
  finish("a");
  await (await a).text();
  await flush();
  assert.deepEqual(started, ["a", "b"], "b went as a's slot came free, its 1 ms not yet passed");
  finish("b");
  assert.equal(await state(b), "resolved");
});

Deno.test("rateLimit(): a queued call's timeoutMs of 2^31 - 1 ms ends its wait then", async () => {
  const { started, time, call } = setup();
  call("a", 0);
  const b = call("b", 2 ** 31 - 1);
  await time.advance(2 ** 31 - 2);
  assert.equal(await state(b), "pending");
  await time.advance(1);
  assert.ok(await state(b) instanceof APITimeoutError);
  assert.deepEqual(started, ["a"]);
});

Deno.test("rateLimit(): a queued call's timeoutMs of 2^31 ms is no deadline in the queue", async () => {
  const { started, time, call } = setup();
  call("a", 0);
  const b = call("b", 2 ** 31);
  assert.equal(time.pending(), 0, "no timer for b's deadline");
  await time.advance(2 ** 31);
  assert.equal(await state(b), "pending", "b still waits for the slot");
  assert.deepEqual(started, ["a"]);
});
