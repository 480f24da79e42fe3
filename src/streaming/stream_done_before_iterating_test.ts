// done() run to the end after an iterator was handed out but before its first next(): the
// iterator still gets every chunk, the first one included (a cursor that did not start at 0
// skipped it).
import assert from "node:assert/strict";
import { Stream } from "./stream.ts";

Deno.test("Stream: an iterator taken before done() gets every chunk after done() read the body", async () => {
  const stream = new Stream<{ n: number }>(
    new Response('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n'),
  );
  const it = stream[Symbol.asyncIterator]();
  await stream.done();
  const chunks = [];
  for await (const chunk of it) chunks.push(chunk.n);
  assert.deepEqual(chunks, [1, 2]);
});
