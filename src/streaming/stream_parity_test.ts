// Stream iterator and relay parity with the openai SDK's streams (async generators), for code
// switched over by its import: an iterator's `throw()` (what `yield*` delegation and iterator
// helpers call), and a stream already read that fails at the first read, as the SDK's does,
// rather than at the call, where a `.catch()` chained after the read does not see it.
import assert from "node:assert/strict";
import { ChatCompletionStream } from "./chat_completion_stream.ts";
import { AzureOpenAIError } from "../errors/mod.ts";
import type { ChatCompletionChunk } from "../types/mod.ts";
import { AZURE_CHAT_CHUNKS, piecewise, sseText } from "./_test_helpers.ts";

const AZURE_SSE = sseText([...AZURE_CHAT_CHUNKS, "[DONE]"]);

const pieces = () => [...AZURE_CHAT_CHUNKS, "[DONE]"].map((c) => sseText([c]));

Deno.test("Stream iterator: throw() (yield* delegation) rejects with the error thrown in, closes the iterator and cancels the body, as the SDK's generator", async () => {
  const { response, cancelled } = piecewise(pieces());
  const stream = new ChatCompletionStream(response);
  async function* relay(): AsyncGenerator<ChatCompletionChunk> {
    yield* stream;
  }
  const outer = relay();
  assert.deepEqual((await outer.next()).value, AZURE_CHAT_CHUNKS[0]);
  const stop = new Error("stop");
  // Without throw() on the inner iterator, yield* closed it and threw a TypeError instead.
  await assert.rejects(outer.throw(stop), (err) => err === stop);
  assert.equal(cancelled(), true);
  assert.equal(stream.controller.signal.aborted, true);
  assert.deepEqual(await outer.next(), { value: undefined, done: true });
  // Called directly: the error comes back, and the iterator is done afterwards.
  const other = new ChatCompletionStream(piecewise(pieces()).response)[Symbol.asyncIterator]();
  await other.next();
  await assert.rejects(other.throw!(stop), (err) => err === stop);
  assert.deepEqual(await other.next(), { value: undefined, done: true });
});

Deno.test("Stream: a stream already read gives an iterator and a body that fail at the first read, so a .catch() after it sees the error, as the SDK's", async () => {
  const stream = new ChatCompletionStream(sseResponse());
  await stream.finalChatCompletion();
  // The call does not throw: the read rejects (a .catch() chained to it gets the error).
  const seen = await stream[Symbol.asyncIterator]().next().catch((err) => err);
  assert.ok(seen instanceof AzureOpenAIError && /already read/.test(seen.message), String(seen));
  const relayed = await new Response(stream.toReadableStream()).text().catch((err) => err);
  assert.ok(relayed instanceof AzureOpenAIError && /already read/.test(relayed.message));
  // An iterator that failed so is done afterwards, as a generator that threw.
  const it = stream[Symbol.asyncIterator]();
  await assert.rejects(it.next(), /already read/);
  assert.deepEqual(await it.next(), { value: undefined, done: true });
  // ReadableStream.from() (which takes the iterator at once) gives a stream that errors.
  const from = ReadableStream.from(stream);
  await assert.rejects(from.getReader().read(), /already read/);
});

function sseResponse(): Response {
  return new Response(AZURE_SSE, { headers: { "content-type": "text/event-stream" } });
}
