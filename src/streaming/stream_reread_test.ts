// A stream read twice: tee() twice or after reading began, toReadableStream() of a stream read to
// its end, a loop after one that stopped at the last chunk. Each gave some or none of the chunks
// without a word (a relay or a branch's finalChatCompletion() then got a cut reply that looked
// whole); the SDK's streams throw "Cannot iterate over a consumed stream" there. Also the
// operation a tee() branch names in its own errors, and tee() under the caller's signal.
import assert from "node:assert/strict";
import { ChatCompletionStream } from "./chat_completion_stream.ts";
import { Stream } from "./stream.ts";
import { APIUserAbortError, AzureOpenAIError } from "../errors/mod.ts";
import { AZURE_CHAT_CHUNKS, AZURE_CHAT_COMPLETION, sseResponse, sseText } from "./_test_helpers.ts";

const AZURE_SSE = sseText([...AZURE_CHAT_CHUNKS, "[DONE]"]);

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const chunks: T[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const alreadyRead = (err: unknown) =>
  err instanceof AzureOpenAIError && /chat\.completions\.create .*already read/.test(err.message);

/** tee() of a stream already read: branches that fail at their first read, as the SDK's do. */
async function failedTee(stream: ChatCompletionStream): Promise<void> {
  for (const branch of stream.tee()) await assert.rejects(collect(branch), alreadyRead);
}

Deno.test("Stream.tee() twice fails instead of splitting the chunks between the two pairs", async () => {
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE, 40));
  const [left, right] = stream.tee();
  await failedTee(stream);
  // The first pair still gets every chunk.
  assert.deepEqual(await collect(left), AZURE_CHAT_CHUNKS);
  assert.deepEqual(await right.finalChatCompletion(), AZURE_CHAT_COMPLETION);
});

Deno.test("ChatCompletionStream.tee() after reading began fails instead of branches missing the first chunks", async () => {
  const looped = new ChatCompletionStream(sseResponse(AZURE_SSE, 40));
  const it = looped[Symbol.asyncIterator]();
  await it.next();
  await it.next();
  await failedTee(looped);
  // The loop reads on, and the stream's own final reply is whole.
  assert.deepEqual((await it.next()).value, AZURE_CHAT_CHUNKS[2]);
  assert.deepEqual(await looped.finalChatCompletion(), AZURE_CHAT_COMPLETION);
  // After finalChatCompletion() read it (branches that got nothing, then "no chunks").
  const read = new ChatCompletionStream(sseResponse(AZURE_SSE, 40));
  await read.finalChatCompletion();
  await failedTee(read);
  // After toReadableStream() was handed out (it shares the cursor).
  const relayed = new ChatCompletionStream(sseResponse(AZURE_SSE, 40));
  const body = relayed.toReadableStream();
  await failedTee(relayed);
  await body.cancel();
});

Deno.test("Stream.toReadableStream() of a stream read to its end errors instead of a lone [DONE]", async () => {
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE, 40));
  assert.equal((await collect(stream)).length, AZURE_CHAT_CHUNKS.length);
  // The body errors at its first read, as the SDK's does.
  await assert.rejects(new Response(stream.toReadableStream()).text(), alreadyRead);
  const read = new ChatCompletionStream(sseResponse(AZURE_SSE));
  await read.finalChatCompletion();
  await assert.rejects(new Response(read.toReadableStream()).text(), alreadyRead);
  // Relaying the rest after a partial loop still works: the body gets the remaining chunks.
  const partial = new ChatCompletionStream(sseResponse(AZURE_SSE, 40));
  const it = partial[Symbol.asyncIterator]();
  await it.next();
  const rest = ChatCompletionStream.fromReadableStream(partial.toReadableStream());
  assert.deepEqual(await collect(rest), AZURE_CHAT_CHUNKS.slice(1));
});

Deno.test("Stream: a loop after one that broke at the last chunk throws 'was already read'", async () => {
  // One body piece holds every chunk and [DONE]: the first loop breaks after the last chunk.
  const stream = new ChatCompletionStream(sseResponse(AZURE_SSE));
  const seen = [];
  for await (const chunk of stream) {
    seen.push(chunk);
    if (seen.length === AZURE_CHAT_CHUNKS.length) break;
  }
  await assert.rejects(() => collect(stream), alreadyRead);
});

Deno.test("Stream.tee() of a transcription stream: a branch's own errors name the operation", async () => {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode(
        'event: transcript.text.delta\ndata: {"type":"transcript.text.delta","delta":"a"}\n\n',
      ));
    },
  });
  const stream = new Stream(
    new Response(body, { headers: { "content-type": "text/event-stream" } }),
    { operation: "audio.transcriptions.create" },
  );
  const [left, right] = stream.tee();
  const it = left[Symbol.asyncIterator]();
  assert.deepEqual((await it.next()).value, { type: "transcript.text.delta", delta: "a" });
  stream.controller.abort();
  for (const read of [() => it.next(), () => collect(right)]) {
    await assert.rejects(
      read,
      (err) =>
        err instanceof APIUserAbortError && /^audio\.transcriptions\.create /.test(err.message),
    );
  }
});

Deno.test("Stream.tee(): the caller's signal ends both branches reading at once, and the body", async () => {
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode('data: {"n":1}\n\n'));
    },
    cancel() {
      cancelled = true;
    },
  });
  const caller = new AbortController();
  const [left, right] = new Stream<{ n: number }>(new Response(body), { signal: caller.signal })
    .tee();
  const a = left[Symbol.asyncIterator]();
  const b = right[Symbol.asyncIterator]();
  assert.deepEqual((await a.next()).value, { n: 1 });
  assert.deepEqual((await b.next()).value, { n: 1 });
  // Both wait for the next chunk when the caller aborts.
  const pending = [a.next(), b.next()];
  caller.abort();
  for (const p of pending) await assert.rejects(p, APIUserAbortError);
  assert.equal(cancelled, true);
});
