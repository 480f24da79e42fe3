// rateLimit()'s `sleep` option may ignore its signal (as a plain setTimeout sleep does): a queued
// call's deadline timer then still fires after the call went. That late expiry is a no-op: it must
// not take another call out of the queue (which would leave that call waiting for ever).
import assert from "node:assert/strict";
import { compose } from "../../src/middleware/compose.ts";
import { rateLimit } from "../../src/middleware/rate_limit.ts";
import { gatedTerminal, makeContext } from "./_context.ts";
import { flush, virtualTime } from "./_virtual_time.ts";
import { state } from "./_rate_limit_stack.ts";

Deno.test("rateLimit(): a deadline timer that fires after its call went (a sleep that ignores its signal) leaves the queue as it is", async () => {
  const time = virtualTime();
  const { started, terminal, finish } = gatedTerminal();
  const run = compose(
    [rateLimit({ maxConcurrent: 1, now: time.now, sleep: (ms) => time.sleep(ms) })],
    terminal,
  );
  const call = (id: string, timeoutMs: number) =>
    run(makeContext({ params: { id }, options: { timeoutMs, maxRetries: 0 } }));
  const a = call("a", 0);
  const b = call("b", 10_000); // queued for the slot, its deadline timer armed for 10 s
  const c = call("c", 0); // queued after b, no deadline
  assert.equal(await state(b), "pending");
  finish("a");
  await (await a).text();
  await flush();
  assert.deepEqual(started, ["a", "b"], "b went as a's slot came free");
  await time.advance(10_000); // b's deadline timer fires anyway
  assert.equal(await state(c), "pending", "c still waits for the slot b holds");
  finish("b");
  await (await b).text();
  await flush();
  assert.deepEqual(started, ["a", "b", "c"], "c goes once b's slot comes free");
  finish("c");
  assert.equal(await state(c), "resolved");
});
