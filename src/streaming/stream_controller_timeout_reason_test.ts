// A stream whose controller is aborted with an APITimeoutError (as the stream's own idle timer
// aborts it; a caller's deadline may too) fails with that timeout error, not as aborted by the
// caller: a timeout may be retried, a caller's abort is not. With and without a caller's signal.
import assert from "node:assert/strict";
import { Stream } from "./stream.ts";
import { APITimeoutError } from "../errors/mod.ts";

Deno.test("Stream: its controller aborted with an APITimeoutError fails the stream with that error", async () => {
  for (const signal of [undefined, new AbortController().signal]) {
    const controller = new AbortController();
    // One event, then open until cancelled.
    const body = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(new TextEncoder().encode('data: {"n":1}\n\n')),
    });
    const stream = new Stream<{ n: number }>(new Response(body), { controller, signal });
    const it = stream[Symbol.asyncIterator]();
    assert.deepEqual((await it.next()).value, { n: 1 });
    const timeout = new APITimeoutError("chat.completions.create timed out (timeout)");
    controller.abort(timeout);
    await assert.rejects(it.next(), (e) => e === timeout);
  }
});
