// chat.completions.stream(): every final*() and totalUsage() called at once (before any chunk)
// waits for the end and gives the end's value, and rejects when the stream fails.
import assert from "node:assert/strict";
import { clientStreaming } from "./_helpers.ts";

const chunk = (c: object) =>
  `data: ${
    JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o", ...c })
  }\n\n`;
const CALL = { index: 0, id: "a", type: "function", function: { name: "f", arguments: "{}" } };
const USAGE = { completion_tokens: 2, prompt_tokens: 3, total_tokens: 5 };

function stream(body: string) {
  const client = clientStreaming(body);
  return client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    stream_options: { include_usage: true },
  });
}

const WHOLE = chunk({ choices: [{ index: 0, delta: { role: "assistant", tool_calls: [CALL] } }] }) +
  chunk({ choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] }) +
  chunk({ choices: [], usage: USAGE }) + "data: [DONE]\n\n";

Deno.test("stream(): final*() and totalUsage() called at once give the end's values", async () => {
  const s = stream(WHOLE);
  const [call, result, usage, completion] = await Promise.all([
    s.finalFunctionToolCall(),
    s.finalFunctionToolCallResult(),
    s.totalUsage(),
    s.finalChatCompletion(),
  ]);
  assert.deepEqual(call, { name: "f", arguments: "{}" });
  assert.equal(result, undefined);
  assert.deepEqual(usage, USAGE);
  assert.equal(completion.usage?.total_tokens, 5);
});

Deno.test("stream(): final*() and totalUsage() called at once reject when the stream fails", async () => {
  // Cut before [DONE]: the stream fails.
  const s = stream(WHOLE.slice(0, WHOLE.lastIndexOf("data: [DONE]")));
  const settled = await Promise.allSettled([
    s.finalFunctionToolCall(),
    s.finalFunctionToolCallResult(),
    s.totalUsage(),
    s.finalContent(),
    s.finalMessage(),
    s.finalChatCompletion(),
  ]);
  assert.deepEqual(settled.map((r) => r.status), Array(6).fill("rejected"));
});
