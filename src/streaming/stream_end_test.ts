// How a stream ends: a `[DONE]` that is not followed by the blank line ending its SSE block
// (the connection closed right after it) or that carries trailing whitespace ends it quietly, as
// the official SDK does; an `event: error` cut the same way throws the error it carries; a body
// cut anywhere else still fails with APIConnectionError.
import assert from "node:assert/strict";
import { ChatCompletionStream } from "./chat_completion_stream.ts";
import {
  APIConnectionError,
  AzureOpenAIError,
  InternalServerError,
  RateLimitError,
} from "../errors/mod.ts";
import type { ChatCompletionChunk } from "../types/mod.ts";
import { AZURE_CHAT_CHUNKS, sseResponse, sseText } from "./_test_helpers.ts";

const HEAD = sseText(AZURE_CHAT_CHUNKS.slice(0, 3));

async function collect(stream: ChatCompletionStream): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

Deno.test("Stream ends quietly at a [DONE] whose block the connection's end cut off or that has trailing blanks", async () => {
  const tails = [
    "data: [DONE]",
    "data: [DONE]\n",
    "data: [DONE]\r",
    "data: [DONE]\r\n",
    "data:[DONE]",
    "data: [DONE] ",
    "data: [DONE] \n\n",
    "data: [DONE]\t\r\n\r\n",
    ": keep-alive\ndata: [DONE]\r\n",
  ];
  for (const tail of tails) {
    for (const size of [1, 2, 7, Infinity]) {
      const stream = new ChatCompletionStream(sseResponse(HEAD + tail, size));
      const chunks = await collect(stream).catch((error) => assert.fail(`${tail}: ${error}`));
      assert.deepEqual(chunks, AZURE_CHAT_CHUNKS.slice(0, 3), JSON.stringify(tail));
      const final = await new ChatCompletionStream(sseResponse(HEAD + tail, size))
        .finalChatCompletion();
      assert.equal(final.id, "chatcmpl-AZ1");
    }
  }
});

Deno.test("Stream still fails a body cut before [DONE], also inside an event or inside the [DONE] line", async () => {
  const json = JSON.stringify(AZURE_CHAT_CHUNKS[3]);
  const tails = [
    "",
    `data: ${json.slice(0, 20)}`,
    `data: ${json}`, // a whole event whose block never ended: no [DONE] came
    `data: ${json}\n`,
    "data: [DON",
    "data: [DONE", // not the SDK's `[DONE]` prefix either
    "data: \n",
  ];
  for (const tail of tails) {
    for (const size of [1, Infinity]) {
      const stream = new ChatCompletionStream(sseResponse(HEAD + tail, size));
      const seen: ChatCompletionChunk[] = [];
      await assert.rejects(
        async () => {
          for await (const chunk of stream) seen.push(chunk);
        },
        (error: unknown) => {
          assert.ok(error instanceof APIConnectionError, `${JSON.stringify(tail)}: ${error}`);
          assert.match(error.message, /ended before \[DONE\] after 3 chunks/);
          return true;
        },
      );
      assert.equal(seen.length, 3);
    }
  }
});

Deno.test("Stream throws the error an `event: error` carries when the body ends right after its data line", async () => {
  const cases: Array<[string, new (...args: never[]) => AzureOpenAIError, RegExp]> = [
    [
      'event: error\ndata: {"error":{"code":"429","message":"Rate limit reached"}}',
      RateLimitError,
      /\(code 429\): Rate limit reached/,
    ],
    [
      'event: error\ndata: {"error":{"code":"429","message":"Rate limit reached"}}\n',
      RateLimitError,
      /Rate limit reached/,
    ],
    [
      'event: error\r\ndata: {"error":{"type":"server_error","message":"The server had an error"}}\r\n',
      InternalServerError,
      /The server had an error/,
    ],
  ];
  await assertCutErrors(cases, false);
});

Deno.test("Stream throws an `event: error` whose data line the body's end cut as the text it got", async () => {
  // Whole JSON or not, the event says the service failed the stream: its text is the message.
  const tail = 'event: error\ndata: {"error":{"code":"429","message":"Rate li';
  await assert.rejects(
    () => collect(new ChatCompletionStream(sseResponse(HEAD + tail))),
    (error: unknown) => {
      assert.ok(error instanceof AzureOpenAIError && !(error instanceof APIConnectionError));
      assert.match(
        error.message,
        /stream \(POST\) failed: \{"error":\{"code":"429","message":"Rate li/,
      );
      assert.equal(error.requestId, "req-123");
      return true;
    },
  );
});

Deno.test('Stream throws the error a plain `data: {"error":…}` block carries when the body ends right after its data line', async () => {
  // Azure may send the error as a message event (no `event: error` line); cut like this it is
  // the service's answer, not a connection closed early.
  const cases: Array<[string, new (...args: never[]) => AzureOpenAIError, RegExp]> = [
    [
      'data: {"error":{"code":"429","message":"Rate limit reached"}}',
      RateLimitError,
      /\(code 429\): Rate limit reached/,
    ],
    [
      'data: {"error":{"code":"429","message":"Rate limit reached"}}\r\n',
      RateLimitError,
      /Rate limit reached/,
    ],
    [
      'data: {"error":{"type":"server_error","message":"The server had an error"}}\n',
      InternalServerError,
      /The server had an error/,
    ],
  ];
  await assertCutErrors(cases, true);
});

/**
 * Each `[tail, Kind, message]`, after three chunks and cut in pieces of 1, 5 and all bytes, fails
 * iteration (after the three chunks) and finalChatCompletion() with Kind; with `code`, a 429's
 * code is "429" and another's none.
 */
async function assertCutErrors(
  cases: Array<[string, new (...args: never[]) => AzureOpenAIError, RegExp]>,
  code: boolean,
): Promise<void> {
  for (const [tail, Kind, message] of cases) {
    for (const size of [1, 5, Infinity]) {
      const stream = new ChatCompletionStream(sseResponse(HEAD + tail, size));
      const seen: ChatCompletionChunk[] = [];
      await assert.rejects(
        async () => {
          for await (const chunk of stream) seen.push(chunk);
        },
        (error: unknown) => {
          assert.ok(error instanceof Kind, `${JSON.stringify(tail)} /${size}: ${error}`);
          assert.match(error.message, message);
          if (code) assert.equal(error.code, Kind === RateLimitError ? "429" : undefined);
          assert.equal(error.requestId, "req-123");
          return true;
        },
      );
      assert.equal(seen.length, 3);
      await assert.rejects(
        () => new ChatCompletionStream(sseResponse(HEAD + tail, size)).finalChatCompletion(),
        Kind,
      );
    }
  }
}
