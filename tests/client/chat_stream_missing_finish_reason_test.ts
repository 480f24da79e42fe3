// chat.completions.stream() of a reply that ends ([DONE]) while a choice has no finish reason fails
// naming the choice, as the SDK's "missing finish_reason for choice N"; no completion is added.
import assert from "node:assert/strict";
import { AzureOpenAIError } from "../../mod.ts";
import { clientStreaming, sseChunk } from "./_helpers.ts";

Deno.test("stream(): [DONE] before choice 1's finish reason is an error naming choice 1", async () => {
  const body = sseChunk({ role: "assistant", content: "a" }, "stop", 0) +
    sseChunk({ role: "assistant", content: "b" }, null, 1) + "data: [DONE]\n\n";
  const client = clientStreaming(body);
  const stream = client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    n: 2,
  });
  let completions = 0;
  stream.on("chatCompletion", () => completions++);
  await assert.rejects(
    stream.done(),
    (e: Error) =>
      e instanceof AzureOpenAIError && /missing finish_reason for choice 1/.test(e.message),
  );
  assert.equal(completions, 0);
});
