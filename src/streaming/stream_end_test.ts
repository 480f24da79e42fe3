// How a stream ends: a `[DONE]` that is not followed by the blank line ending its SSE block
// (the connection closed right after it) or that carries trailing whitespace ends it quietly, as
// the official SDK does; a body cut anywhere else still fails with APIConnectionError.
import assert from "node:assert/strict";
import { ChatCompletionStream } from "./chat_completion_stream.ts";
import { APIConnectionError } from "../errors/mod.ts";
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
    'event: error\ndata: {"error":{"code":"500"}}', // an error event cut off: the stream was cut
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
