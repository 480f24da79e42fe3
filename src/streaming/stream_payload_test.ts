// What a stream's payload can be besides chunks: no chunk at all before [DONE] (no completion to
// return), an event that is JSON but no object.
import assert from "node:assert/strict";
import { ChatCompletionStream } from "./chat_completion_stream.ts";
import { CompletionStream } from "./completion_stream.ts";
import { APIConnectionError, AzureOpenAIError } from "../errors/mod.ts";
import type { ChatCompletionChunk } from "../types/mod.ts";
import { AZURE_CHAT_CHUNKS, PROMPT_FILTER_CHUNK, sseResponse, sseText } from "./_test_helpers.ts";

async function collect(stream: ChatCompletionStream): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

Deno.test("finalChatCompletion() and finalCompletion() of a stream with no chunk before [DONE] reject naming the request id", async () => {
  for (
    const text of ["data: [DONE]\n\n", ": keep-alive\n\ndata: [DONE]", "data:\n\ndata: [DONE]\n\n"]
  ) {
    // Iterating it yields nothing and ends quietly, as the SDK's stream does.
    assert.deepEqual(await collect(new ChatCompletionStream(sseResponse(text))), []);
    const finals: Array<[string, () => Promise<unknown>]> = [
      [
        "chat.completions.create",
        () => new ChatCompletionStream(sseResponse(text)).finalChatCompletion(),
      ],
      ["completions.create", () => new CompletionStream(sseResponse(text)).finalCompletion()],
    ];
    for (const [operation, final] of finals) {
      await assert.rejects(final, (error: unknown) => {
        assert.ok(error instanceof AzureOpenAIError, `${text}: ${error}`);
        assert.ok(!(error instanceof APIConnectionError), "the connection was fine");
        assert.match(error.message, /ended without sending any chunks/);
        assert.ok(error.message.startsWith(`${operation} (POST`), error.message);
        assert.match(error.message, /\[request id req-123\]$/);
        assert.equal(error.requestId, "req-123");
        return true;
      });
    }
  }
  // After iterating the empty stream too.
  const stream = new ChatCompletionStream(sseResponse("data: [DONE]\n\n"));
  await collect(stream);
  await assert.rejects(() => stream.finalChatCompletion(), /without sending any chunks/);
});

Deno.test("finalChatCompletion() of a stream whose only chunk is Azure's prompt filter chunk resolves", async () => {
  // A chunk came (the SDK returns a completion then too): the answer is the empty reply.
  const final = await new ChatCompletionStream(
    sseResponse(sseText([PROMPT_FILTER_CHUNK, "[DONE]"])),
  ).finalChatCompletion();
  assert.deepEqual(final.choices, []);
  assert.deepEqual(final.prompt_filter_results, PROMPT_FILTER_CHUNK.prompt_filter_results);
});

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
