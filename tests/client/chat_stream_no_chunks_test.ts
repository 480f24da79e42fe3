// chat.completions.stream() of a reply that ends (`[DONE]`) without any chunk fails with the reason
// (as the SDK's "request ended without sending any chunks"), not with a missing assistant message
// found later; so does a page reading such a relay.
import assert from "node:assert/strict";
import { AzureOpenAI, AzureOpenAIError, ChatCompletionEventStream } from "../../mod.ts";

const DONE_ONLY = "data: [DONE]\n\n";

Deno.test("stream(): a reply of [DONE] only is an error saying no chunks came", async () => {
  const client = new AzureOpenAI({
    endpoint: "http://stub.local",
    apiKey: "k",
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(
        new Response(DONE_ONLY, { headers: { "content-type": "text/event-stream" } }),
      ),
  });
  const stream = client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
  });
  const errors: unknown[] = [];
  stream.on("error", (e) => errors.push(e));
  await assert.rejects(stream.done(), /ended without sending any chunks/);
  assert.equal(errors.length, 1);
  assert.ok(errors[0] instanceof AzureOpenAIError);
  assert.equal(stream.allChatCompletions().length, 0);
});

Deno.test("fromReadableStream(): a relay of [DONE] only is an error saying no chunks came", async () => {
  const stream = ChatCompletionEventStream.fromReadableStream(new Response(DONE_ONLY).body!);
  await assert.rejects(stream.finalMessage(), /ended without sending any chunks/);
});
