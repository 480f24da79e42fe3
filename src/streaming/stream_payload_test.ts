// What a stream's payload can be besides chunks: an event that is JSON but no object.
import assert from "node:assert/strict";
import { ChatCompletionStream } from "./chat_completion_stream.ts";
import { CompletionStream } from "./completion_stream.ts";
import { AzureOpenAIError } from "../errors/mod.ts";
import type { ChatCompletionChunk } from "../types/mod.ts";
import { AZURE_CHAT_CHUNKS, sseResponse, sseText } from "./_test_helpers.ts";

Deno.test("Stream rejects an event whose JSON is not an object, saying so", async () => {
  for (const data of ["null", "5", '"text"', "[]", '[{"id":"x"}]', "true"]) {
    const text = sseText([AZURE_CHAT_CHUNKS[1], data, AZURE_CHAT_CHUNKS[2], "[DONE]"]);
    const stream = new ChatCompletionStream(sseResponse(text));
    const seen: ChatCompletionChunk[] = [];
    const check = (error: unknown): boolean => {
      assert.ok(error instanceof AzureOpenAIError, `${data}: ${error}`);
      assert.match(error.message, /sent an event that is not a JSON object/, error.message);
      assert.ok(error.message.includes(`(${data})`), `${data}: ${error.message}`);
      assert.doesNotMatch(error.message, /TypeError|Cannot read/);
      assert.equal(error.requestId, "req-123");
      return true;
    };
    await assert.rejects(async () => {
      for await (const chunk of stream) seen.push(chunk);
    }, check);
    assert.deepEqual(seen, [AZURE_CHAT_CHUNKS[1]], data);
    await assert.rejects(
      () => new ChatCompletionStream(sseResponse(text)).finalChatCompletion(),
      check,
    );
    await assert.rejects(
      () => new CompletionStream(sseResponse(text)).finalCompletion(),
      check,
    );
  }
});
