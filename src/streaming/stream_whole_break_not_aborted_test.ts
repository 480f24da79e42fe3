// A loop that breaks at the last chunk of a stream whose `[DONE]` was already read leaves a whole
// stream: its controller is not aborted (the stream stopped once, at `[DONE]`; leaving later
// cuts nothing), and a final read finds nothing more instead of an abort error.
import assert from "node:assert/strict";
import { Stream } from "./stream.ts";

Deno.test("Stream: breaking out after [DONE] was read does not abort the controller", async () => {
  // One piece: the first read parses both chunks and [DONE].
  const stream = new Stream<{ n: number }>(
    new Response('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n'),
  );
  const seen = [];
  for await (const chunk of stream) {
    seen.push(chunk.n);
    if (chunk.n == 2) break;
  }
  assert.deepEqual(seen, [1, 2]);
  assert.equal(stream.controller.signal.aborted, false);
  await stream.done();
});
