// Iterator calls that overlap: `next()` called again before the previous one resolved.
import assert from "node:assert/strict";
import { Stream } from "./stream.ts";

Deno.test("Stream iterator: overlapping next() calls get the chunks in order, then done", async () => {
  const body = 'data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n';
  const it = new Stream<{ n: number }>(new Response(body))[Symbol.asyncIterator]();
  const results = await Promise.all([it.next(), it.next(), it.next(), it.next()]);
  assert.deepEqual(results, [
    { value: { n: 1 }, done: false },
    { value: { n: 2 }, done: false },
    { value: undefined, done: true },
    { value: undefined, done: true },
  ]);
});

Deno.test("Stream iterator: overlapping next() calls across body pieces lose no chunk", async () => {
  const pieces = ['data: {"n":1}\n\n', 'data: {"n":2}\n\ndata: {"n":3}\n\n', "data: [DONE]\n\n"];
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces.shift();
      if (piece === undefined) controller.close();
      else controller.enqueue(encoder.encode(piece));
    },
  });
  const it = new Stream<{ n: number }>(new Response(body))[Symbol.asyncIterator]();
  const first = await Promise.all([it.next(), it.next()]);
  const rest = await Promise.all([it.next(), it.next()]);
  assert.deepEqual([...first, ...rest].map((r) => r.done ? "done" : r.value.n), [1, 2, 3, "done"]);
});
