// finalFunctionToolCallResult(): the content of the last `tool` message that answers a call of an
// assistant message, as the SDK's: a tool message answering no call, or whose content is not a
// string (content parts), is passed over.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { sseChunk } from "./_helpers.ts";

const BODY = sseChunk({ role: "assistant", content: "ok" }) + sseChunk({}, "stop") +
  "data: [DONE]\n\n";

function streamAfter(messages: unknown[]) {
  const client = new AzureOpenAI({
    endpoint: "http://stub.local",
    apiKey: "k",
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(new Response(BODY, { headers: { "content-type": "text/event-stream" } })),
  });
  return client.chat.completions.stream({ model: "gpt-4o", messages: messages as never });
}

const assistant = {
  role: "assistant",
  content: null,
  tool_calls: [{ id: "a", type: "function", function: { name: "f", arguments: "{}" } }],
};

Deno.test("finalFunctionToolCallResult(): a tool message answering no call is passed over", async () => {
  const s = streamAfter([
    { role: "user", content: "Hi" },
    assistant,
    { role: "tool", tool_call_id: "a", content: "answer" },
    { role: "tool", tool_call_id: "orphan", content: "not an answer" },
  ]);
  assert.equal(await s.finalFunctionToolCallResult(), "answer");
  assert.equal(
    await streamAfter([
      { role: "user", content: "Hi" },
      { role: "tool", tool_call_id: "orphan", content: "not an answer" },
    ]).finalFunctionToolCallResult(),
    undefined,
  );
});

Deno.test("finalFunctionToolCallResult(): a tool message with content parts is passed over", async () => {
  const s = streamAfter([
    { role: "user", content: "Hi" },
    assistant,
    { role: "tool", tool_call_id: "a", content: "text" },
    { role: "tool", tool_call_id: "a", content: [{ type: "text", text: "parts" }] },
  ]);
  assert.equal(await s.finalFunctionToolCallResult(), "text");
});
