import assert from "node:assert/strict";
import { ServerSentEventParserStream } from "./parser_stream.ts";
import { SseBufferOverflowError } from "./buffer_overflow_error.ts";
import type { ServerSentEvent } from "./server_sent_event.ts";
import { pieces, referenceParse, utf8 } from "./_test_helpers.ts";

async function collect(stream: ReadableStream<ServerSentEvent>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function bodyOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return ReadableStream.from(chunks);
}

Deno.test("ServerSentEventParserStream turns a Response body into events", async () => {
  const response = new Response("event: greeting\ndata: hello\n\nid: 3\ndata: [DONE]\n\n");
  const events = await collect(response.body!.pipeThrough(new ServerSentEventParserStream()));
  assert.deepEqual(events, [
    { event: "greeting", data: "hello", id: "" },
    { event: "message", data: "[DONE]", id: "3" },
  ]);
});

Deno.test("ServerSentEventParserStream gives the same events for 1-byte chunks", async () => {
  const bytes = utf8(
    "\uFEFFdata: 日本\r\n\r\n: c\rretry: 5\ndata: 😀\r\rid: x\ndata\n\ndata: tail",
  );
  const expected = referenceParse(bytes);
  assert.equal(expected.length, 3);
  const events = await collect(
    bodyOf(pieces(bytes, 1)).pipeThrough(new ServerSentEventParserStream()),
  );
  assert.deepEqual(events, expected);
});

Deno.test("ServerSentEventParserStream enqueues every event of a chunk before the next write", async () => {
  const stream = new ServerSentEventParserStream();
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  void writer.write(utf8("data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4"));
  const got: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { value } = await reader.read();
    got.push(value!.data);
  }
  assert.deepEqual(got, ["1", "2", "3"]);
  // The unterminated fourth block is dropped at the end of the input.
  void writer.close();
  assert.deepEqual(await reader.read(), { done: true, value: undefined });
});

Deno.test("ServerSentEventParserStream errors with SseBufferOverflowError on an oversized line", async () => {
  const body = bodyOf([utf8("data: ok\n\ndata: "), utf8("x".repeat(200)), utf8("\n\n")]);
  const reader = body.pipeThrough(new ServerSentEventParserStream({ maxBufferSize: 100 }))
    .getReader();
  assert.deepEqual((await reader.read()).value, { event: "message", data: "ok", id: "" });
  await assert.rejects(() => reader.read(), SseBufferOverflowError);
});

Deno.test("ServerSentEventParserStream cancels its source when the reader cancels", async () => {
  let cancelled: unknown = "not cancelled";
  const source = new ReadableStream<Uint8Array>({
    pull(controller): void {
      controller.enqueue(utf8("data: tick\n\n"));
    },
    cancel(reason): void {
      cancelled = reason;
    },
  });
  const reader = source.pipeThrough(new ServerSentEventParserStream()).getReader();
  assert.equal((await reader.read()).value?.data, "tick");
  await reader.cancel("done");
  assert.equal(cancelled, "done");
});
