// Stream methods code written for the official openai SDK calls: `tee()`, the static
// `fromReadableStream()` that reads `toReadableStream()` back, and a second loop over a stream
// already read to its end (the SDK throws; a loop that silently got nothing hid the mistake).
import assert from "node:assert/strict";
import { ChatCompletionStream } from "./chat_completion_stream.ts";
import { CompletionStream } from "./completion_stream.ts";
import { Stream } from "./stream.ts";
import { APIUserAbortError, AzureOpenAIError, RateLimitError } from "../errors/mod.ts";
import type { ChatCompletionChunk } from "../types/mod.ts";
import {
  AZURE_CHAT_CHUNKS,
  AZURE_CHAT_COMPLETION,
  piecewise,
  sseResponse,
  sseText,
} from "./_test_helpers.ts";

const AZURE_SSE = sseText([...AZURE_CHAT_CHUNKS, "[DONE]"]);

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const chunks: T[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

Deno.test("ChatCompletionStream.tee(): two streams of the same class, each with every chunk and its own final reply", async () => {
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE, 40));
  const [left, right] = stream.tee();
  assert.ok(left instanceof ChatCompletionStream && right instanceof ChatCompletionStream);
  assert.deepEqual(await collect(left), AZURE_CHAT_CHUNKS);
  assert.deepEqual(await right.finalChatCompletion(), AZURE_CHAT_COMPLETION);
  assert.equal(
    left.response.headers.get("content-type"),
    stream.response.headers.get("content-type"),
  );
});

Deno.test("Stream.tee(): the branches read at their own pace; the body is cancelled once both are", async () => {
  const chunks = ['data: {"n":1}\n\n', 'data: {"n":2}\n\n', 'data: {"n":3}\n\n'];
  const { response, cancelled } = piecewise([...chunks, ...chunks, "data: [DONE]\n\n"]);
  const [left, right] = new Stream<{ n: number }>(response).tee();
  for await (const _ of left) break; // the left loop stops at once
  assert.equal(cancelled(), false);
  const it = right[Symbol.asyncIterator]();
  assert.deepEqual((await it.next()).value, { n: 1 });
  assert.deepEqual((await it.next()).value, { n: 2 });
  await it.return!();
  assert.equal(cancelled(), true);
});

Deno.test("Stream.tee(): an error event of the upstream reaches both branches as the typed error", async () => {
  const error = { error: { code: "429", message: "Rate limit reached" } };
  const body = sseText([AZURE_CHAT_CHUNKS[1], error]);
  const [left, right] = new ChatCompletionStream(sseResponse(body)).tee();
  await assert.rejects(() => collect(left), RateLimitError);
  await assert.rejects(() => right.finalChatCompletion(), RateLimitError);
});

Deno.test("Stream.tee(): stream.controller.abort() ends both branches with APIUserAbortError", async () => {
  const { response, cancelled } = piecewise(['data: {"n":1}\n\n', 'data: {"n":2}\n\n']);
  const stream = new Stream<{ n: number }>(response);
  const [left, right] = stream.tee();
  assert.equal(left.controller, stream.controller);
  const it = left[Symbol.asyncIterator]();
  assert.deepEqual((await it.next()).value, { n: 1 });
  stream.controller.abort();
  await assert.rejects(() => it.next(), APIUserAbortError);
  await assert.rejects(() => collect(right), APIUserAbortError);
  assert.equal(cancelled(), true);
});

Deno.test("ChatCompletionStream.fromReadableStream() reads toReadableStream() back (a relay and the page it feeds)", async () => {
  const upstream = new ChatCompletionStream(sseResponse(AZURE_SSE, 33));
  const relayed = new Response(upstream.toReadableStream()); // what a server sends on
  const again = ChatCompletionStream.fromReadableStream(relayed.body!);
  assert.ok(again instanceof ChatCompletionStream);
  assert.deepEqual(await again.finalChatCompletion(), AZURE_CHAT_COMPLETION);
  const typed: ChatCompletionStream = ChatCompletionStream.fromReadableStream(
    new ChatCompletionStream(sseResponse(AZURE_SSE)).toReadableStream(),
  );
  assert.deepEqual(await collect<ChatCompletionChunk>(typed), AZURE_CHAT_CHUNKS);
});

Deno.test("Stream.fromReadableStream(): the given controller cancels the body; the class is the caller's", async () => {
  const { response, cancelled } = piecewise(['data: {"text":"a"}\n\n', 'data: {"text":"b"}\n\n']);
  const controller = new AbortController();
  const stream = CompletionStream.fromReadableStream(response.body!, controller);
  assert.ok(stream instanceof CompletionStream);
  assert.equal(stream.controller, controller);
  const plain = Stream.fromReadableStream(new Response("data: [DONE]\n\n").body!);
  assert.deepEqual(await collect(plain), []);
  controller.abort();
  await assert.rejects(() => collect(stream), APIUserAbortError);
  assert.equal(cancelled(), true);
});

Deno.test("Stream: a second loop over a stream read to its end throws instead of yielding nothing", async () => {
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE));
  assert.equal((await collect(stream)).length, AZURE_CHAT_CHUNKS.length);
  const err = await collect(stream).then(() => assert.fail("resolved"), (e) => e);
  assert.ok(err instanceof AzureOpenAIError);
  assert.match(err.message, /chat\.completions\.create .*already read/);
  // After finalChatCompletion() read it, too.
  const read = new ChatCompletionStream(sseResponse(AZURE_SSE));
  await read.finalChatCompletion();
  await assert.rejects(() => collect(read), /already read/);
});

Deno.test("Stream: a loop that starts while chunks of a finished read are still queued gets them", async () => {
  // One body piece holds every chunk and [DONE]: the first loop stops after one chunk, but the
  // stream had already read to its end, so nothing was cancelled.
  const stream = new Stream<{ n: number }>(
    sseResponse('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n'),
  );
  const it = stream[Symbol.asyncIterator]();
  assert.deepEqual((await it.next()).value, { n: 1 });
  assert.deepEqual(await collect(stream), [{ n: 2 }]);
});

Deno.test("Stream: the iterator [Symbol.asyncIterator]() gives is async-iterable itself (take the first chunk, loop over the rest), as the SDK's generator is", async () => {
  const { response, cancelled } = piecewise(
    [...AZURE_CHAT_CHUNKS, "[DONE]"].map((c) => sseText([c])),
  );
  const iterator = new ChatCompletionStream(response)[Symbol.asyncIterator]();
  const first = await iterator.next();
  assert.deepEqual(first, { value: AZURE_CHAT_CHUNKS[0], done: false });
  const rest: ChatCompletionChunk[] = [];
  for await (const chunk of iterator) {
    rest.push(chunk);
    if (rest.length == 2) break;
  }
  assert.deepEqual(rest, AZURE_CHAT_CHUNKS.slice(1, 3));
  // Breaking out of that loop closed the iterator and cancelled the body, as a loop over the stream.
  assert.deepEqual(await iterator.next(), { value: undefined, done: true });
  assert.equal(cancelled(), true);
});

Deno.test("Stream.tee(): a loop or toReadableStream() over the split stream itself throws instead of taking the branches' chunks", async () => {
  const { response } = piecewise([...AZURE_CHAT_CHUNKS, "[DONE]"].map((c) => sseText([c])));
  const stream = new ChatCompletionStream(response);
  const [left, right] = stream.tee();
  // It took the first chunk from both branches, then ended as if the reply were whole.
  // At the first read, as the SDK's consumed stream.
  await assert.rejects(stream[Symbol.asyncIterator]().next(), AzureOpenAIError);
  // It gave a relay nothing but [DONE].
  await assert.rejects(new Response(stream.toReadableStream()).text(), /was already read/);
  assert.deepEqual(await collect(left), AZURE_CHAT_CHUNKS);
  assert.deepEqual(await collect(right), AZURE_CHAT_CHUNKS);
  // Its final reply still reads along (it takes no chunk from the branches).
  assert.deepEqual(await stream.finalChatCompletion(), AZURE_CHAT_COMPLETION);
});
