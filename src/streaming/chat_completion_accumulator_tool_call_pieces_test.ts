import assert from "node:assert/strict";
import { ChatCompletionAccumulator } from "./chat_completion_accumulator.ts";
import type { ChatCompletionChunkDelta, ChatCompletionChunkToolCallDelta } from "../types/mod.ts";

// Tool call pieces as the stream may send them: without `function`, with a name and no
// `arguments`, without `index`, and only for a later index.

const BASE = { id: "c1", object: "chat.completion.chunk", created: 5, model: "gpt-4o" } as const;

function fold(...deltas: ChatCompletionChunkDelta[]) {
  const acc = new ChatCompletionAccumulator();
  for (const delta of deltas) acc.add({ ...BASE, choices: [{ index: 0, delta }] });
  return acc.result().choices[0].message.tool_calls;
}

Deno.test("ChatCompletionAccumulator takes a tool call piece without function, then its name and arguments", () => {
  assert.deepEqual(
    fold(
      { tool_calls: [{ index: 0, id: "call_1", type: "function" }] },
      { tool_calls: [{ index: 0, function: { name: "f" } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] },
    ),
    [{ id: "call_1", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
  );
});

Deno.test("ChatCompletionAccumulator puts a tool call piece without index at index 0, before index 1", () => {
  // `index` is required on the wire; a piece that lacks it is the first call's.
  const part = { id: "call_1", function: { name: "f", arguments: "{}" } };
  assert.deepEqual(
    fold(
      { tool_calls: [part as ChatCompletionChunkToolCallDelta] },
      { tool_calls: [{ index: 1, id: "call_2", function: { name: "g", arguments: "[]" } }] },
    ),
    [
      { id: "call_1", type: "function", function: { name: "f", arguments: "{}" } },
      { id: "call_2", type: "function", function: { name: "g", arguments: "[]" } },
    ],
  );
});

Deno.test("ChatCompletionAccumulator.result() leaves no hole for a tool call index that never came", () => {
  const calls = fold({ tool_calls: [{ index: 1, id: "call_2", function: { name: "g" } }] });
  assert.deepEqual(calls, [{
    id: "call_2",
    type: "function",
    function: { name: "g", arguments: "" },
  }]);
});

Deno.test("ChatCompletionAccumulator carries the type a tool call piece names", () => {
  // Only "function" is on the wire today ("currently", says the spec); a new type is kept, not
  // reported as "function".
  const part = { index: 0, id: "call_1", type: "custom", function: { name: "f", arguments: "" } };
  const calls = fold({ tool_calls: [part as unknown as ChatCompletionChunkToolCallDelta] });
  assert.equal(calls?.[0].type, "custom");
});
