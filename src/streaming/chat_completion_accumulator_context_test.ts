import assert from "node:assert/strict";
import { ChatCompletionAccumulator } from "./chat_completion_accumulator.ts";

// On Your Data: the stream sends the message's `context` (citations, intent) on its chunks; the
// result's message carries their members together, as the non-streamed reply's does.

const BASE = { id: "c1", object: "chat.completion.chunk", created: 5, model: "gpt-4o" } as const;

Deno.test("ChatCompletionAccumulator keeps the On Your Data context the chunks send", () => {
  const acc = new ChatCompletionAccumulator();
  const citations = [{ content: "Dogs need walks.", title: "Care", chunk_id: "0" }];
  acc.add({
    ...BASE,
    choices: [{ index: 0, delta: { role: "assistant", context: { citations } } }],
  });
  acc.add({ ...BASE, choices: [{ index: 0, delta: { context: { intent: "dog care" } } }] });
  acc.add({
    ...BASE,
    choices: [{ index: 0, delta: { content: "Walk it." }, finish_reason: "stop" }],
  });
  const message = acc.result().choices[0].message;
  assert.deepEqual(message.context, { citations, intent: "dog care" });
  assert.equal(message.content, "Walk it.");
});
