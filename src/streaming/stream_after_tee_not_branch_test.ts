// A stream built after a tee() is no tee() branch: leaving its loop early aborts its controller,
// as any stream's does (the flag tee() sets while it builds its branches must not stay set).
import assert from "node:assert/strict";
import { Stream } from "./stream.ts";

const SSE = 'data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n';

/** One event, then a body that stays open until it is cancelled. */
function open(): Response {
  return new Response(
    new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(new TextEncoder().encode('data: {"n":1}\n\n')),
    }),
  );
}

Deno.test("Stream: leaving the loop of a stream built after a tee() aborts its controller", async () => {
  const before = new Stream<{ n: number }>(open());
  for await (const _ of before) break;
  assert.equal(before.controller.signal.aborted, true);
  const [left, right] = new Stream(new Response(SSE)).tee();
  const after = new Stream<{ n: number }>(open());
  for await (const _ of after) break;
  assert.equal(after.controller.signal.aborted, true);
  // The branches still read apart, each to its end.
  for (const branch of [left, right]) await branch.done();
});
