// chat.completions.stream(): the final* events that have nothing to give are not emitted, as the
// SDK's: no `finalContent` for a reply of tool calls only (content null), no
// `finalFunctionToolCallResult` without tool messages (stream() runs no tools); the calls'
// `finalFunctionToolCall` is.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const chunk = (delta: object, finish_reason: string | null = null) =>
  `data: ${
    JSON.stringify({
      id: "c1",
      object: "chat.completion.chunk",
      created: 1,
      model: "gpt-4o",
      choices: [{ index: 0, delta, finish_reason }],
    })
  }\n\n`;

Deno.test("stream(): a reply of a tool call only: no finalContent, no finalFunctionToolCallResult", async () => {
  const body = chunk({ role: "assistant" }) +
    chunk({
      tool_calls: [{
        index: 0,
        id: "a",
        type: "function",
        function: { name: "f", arguments: "{}" },
      }],
    }) + chunk({}, "tool_calls") + "data: [DONE]\n\n";
  const client = new AzureOpenAI({
    endpoint: "http://stub.local",
    apiKey: "k",
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(new Response(body, { headers: { "content-type": "text/event-stream" } })),
  });
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
