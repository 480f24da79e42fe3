/**
 * rateLimit()'s concurrency slot of a response whose body is never read: the call's signal
 * aborting frees it (an unread body is never told), once, and no listener stays on the signal.
 * (A body dropped unread is freed once collected: tests/middleware/rate_limit_dropped_gc_test.ts.)
 */
import assert from "node:assert/strict";
import { compose } from "./compose.ts";
import { rateLimit } from "./rate_limit.ts";
import type { Terminal } from "./types.ts";
import { makeContext } from "../../tests/middleware/_context.ts";
import { flush } from "../../tests/middleware/_virtual_time.ts";
import { countedSignal } from "../../tests/helpers/counted_signal.ts";

/**
 * One slot; the terminal counts the calls that started and answers each with a body that sends
 * one chunk, then waits until the call's signal aborts (as fetch's body does) and fails.
 */
function setup() {
  const started: string[] = [];
  const terminal: Terminal = (ctx) => {
    started.push(String((ctx.params as { id: string }).id));
    const signal = ctx.signal;
    let fail = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode("x"));
        fail = () => c.error(signal!.reason);
        signal?.addEventListener("abort", fail, { once: true });
      },
      cancel: () => signal?.removeEventListener("abort", fail),
    });
    return Promise.resolve(new Response(body));
  };
  const run = compose([rateLimit({ maxConcurrent: 1 })], terminal);
  const call = (id: string, signal?: AbortSignal) =>
    run(makeContext({ params: { id }, signal, stream: true }));
  return { started, call };
}

Deno.test("rateLimit() frees the slot of a response whose body is never read when the call's signal aborts", async () => {
  const { started, call } = setup();
  const first = countedSignal();
  await call("a", first.signal); // its body dropped unread
  const second = call("b");
  await flush();
  assert.deepEqual(started, ["a"], "the unread body holds the slot");
  first.controller.abort(new Error("caller gone"));
  await flush();
  assert.deepEqual(started, ["a", "b"], "the abort freed the slot");
  assert.equal(first.live.size, 0, "no listener stays on the signal");
  await (await second).body!.cancel();
});

Deno.test("rateLimit() frees a slot once when the caller aborts while the body is read", async () => {
  const { started, call } = setup();
  const first = countedSignal();
  const res = await call("a", first.signal);
  const reader = res.body!.getReader();
  assert.equal((await reader.read()).done, false);
  const waiting = reader.read();
  // Two more calls queue: a slot freed twice would start both.
  const [b, c] = [call("b"), call("c")];
  await flush();
  first.controller.abort(new Error("caller gone"));
  await assert.rejects(waiting);
  await flush();
  assert.deepEqual(started, ["a", "b"], "one slot freed, once");
  assert.equal(first.live.size, 0);
  await (await b).body!.cancel();
  await flush();
  assert.deepEqual(started, ["a", "b", "c"]);
  await (await c).body!.cancel();
});

Deno.test("rateLimit() leaves no listener on the call's signal once the body was read or cancelled", async () => {
  const { call } = setup();
  const signal = countedSignal();
  const res = await call("a", signal.signal);
  await res.body!.cancel();
  assert.equal(signal.live.size, 0);
  const queued = countedSignal();
  const [d, e] = [call("d", signal.signal), call("e", queued.signal)];
  await flush();
  assert.equal(queued.live.size, 1, "the queued call listens");
  await (await d).body!.cancel();
  await (await e).body!.cancel();
  assert.equal(signal.live.size, 0);
  assert.equal(queued.live.size, 0, "a queued call that started and ended keeps no listener");
});
