// chat.completions.stream(): the final* events that have nothing to give are not emitted, as the
// SDK's: no `finalContent` for a reply of tool calls only (content null), no
// `finalFunctionToolCallResult` without tool messages (stream() runs no tools); the calls'
// `finalFunctionToolCall` is.
import assert from "node:assert/strict";
import { clientStreaming, sseChunk } from "./_helpers.ts";

Deno.test("stream(): a reply of a tool call only: no finalContent, no finalFunctionToolCallResult", async () => {
  const body = sseChunk({ role: "assistant" }) +
    sseChunk({
      tool_calls: [{
        index: 0,
        id: "a",
        type: "function",
        function: { name: "f", arguments: "{}" },
      }],
    }) + sseChunk({}, "tool_calls") + "data: [DONE]\n\n";
  const client = clientStreaming(body);
  const stream = client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
  });
  const seen: [string, unknown][] = [];
  for (
    const name of [
      "finalChatCompletion",
      "finalMessage",
      "finalContent",
      "finalFunctionToolCall",
      "finalFunctionToolCallResult",
      "end",
    ] as const
  ) {
    stream.on(name, (arg?: unknown) => seen.push([name, arg]));
  }
  await stream.done();
  assert.deepEqual(seen.map(([name]) => name), [
    "finalChatCompletion",
    "finalMessage",
    "finalFunctionToolCall",
    "end",
  ]);
  assert.deepEqual(seen[2][1], { name: "f", arguments: "{}" });
  assert.equal(await stream.finalContent(), null);
  assert.equal(await stream.finalFunctionToolCallResult(), undefined);
});
