// chat.completions.stream() with a tool that is not a function (the SDK's custom tool shape) beside
// a strict function tool: no TypeError at the call nor for the calls that come; the strict tool's
// call is parsed, a call of an undeclared name gets `parsed_arguments: null` (as the SDK's).
import assert from "node:assert/strict";
import { clientStreaming } from "./_helpers.ts";

const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
const call = (index: number, id: string, name: string, args: string) => ({
  index: 0,
  delta: { tool_calls: [{ index, id, type: "function", function: { name, arguments: args } }] },
  finish_reason: null,
});
const body = [
  { choices: [{ index: 0, delta: { role: "assistant" }, finish_reason: null }] },
  { choices: [call(0, "a", "undeclared", '{"y":2}')] },
  { choices: [call(1, "b", "strict_fn", '{"x":1}')] },
  { choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
].map((c) => `data: ${JSON.stringify({ ...base, ...c })}\n\n`).join("") + "data: [DONE]\n\n";

Deno.test("stream(): a custom tool beside a strict function tool; undeclared and strict calls", async () => {
  const client = clientStreaming(body);
  const stream = client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    tools: [
      { type: "custom", custom: { name: "grammar" } } as never,
      {
        type: "function",
        function: { name: "strict_fn", strict: true, parameters: { type: "object" } },
      },
    ],
  });
  const done: unknown[] = [];
  stream.on("tool_calls.function.arguments.done", (props) => done.push(props));
  const completion = await stream.finalChatCompletion();
  assert.deepEqual(done, [
    { name: "undeclared", index: 0, arguments: '{"y":2}', parsed_arguments: null },
    { name: "strict_fn", index: 1, arguments: '{"x":1}', parsed_arguments: { x: 1 } },
  ]);
  assert.deepEqual(
    completion.choices[0].message.tool_calls?.map((c) => c.function.parsed_arguments),
    [null, { x: 1 }],
  );
});
