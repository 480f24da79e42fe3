// An abort that errors the body under a pending read, as fetch does when its signal aborts: the
// stream's own listener on the signal fails it with APIUserAbortError before the read rejects.
import assert from "node:assert/strict";
import { APIUserAbortError } from "../errors/mod.ts";
import { Stream } from "./stream.ts";

const CHUNK = new TextEncoder().encode('data: {"n":1}\n\n');

/** A body that sends one event, then errors when `signal` aborts (listener added first). */
function abortableBody(signal: AbortSignal): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller): void {
      controller.enqueue(CHUNK);
      signal.addEventListener("abort", () => controller.error(new TypeError("body aborted")));
    },
  });
}

Deno.test("Stream throws APIUserAbortError when an abort errors the body under a pending read", async () => {
  const controller = new AbortController();
  const stream = new Stream<{ n: number }>(new Response(abortableBody(controller.signal)), {
    controller,
  });
  const iterator = stream[Symbol.asyncIterator]();
  assert.deepEqual(await iterator.next(), { value: { n: 1 }, done: false });
  const pending = iterator.next();
  const reason = new Error("stop");
  controller.abort(reason);
  const error = await pending.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof APIUserAbortError, String(error));
  assert.equal(error.cause, reason);
});

Deno.test("Stream throws APIUserAbortError when an outside signal's abort errors the body under a pending read", async () => {
  const controller = new AbortController();
  const outside = new AbortController();
  const stream = new Stream<{ n: number }>(new Response(abortableBody(controller.signal)), {
    controller,
    signal: outside.signal,
  });
  const iterator = stream[Symbol.asyncIterator]();
  await iterator.next();
  const pending = iterator.next();
  outside.abort(new Error("shutdown"));
  const error = await pending.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof APIUserAbortError, String(error));
  assert.equal((error.cause as Error).message, "shutdown");
});
