// runTools(): a tool that returns "" gives its `tool` message (`message` event) but no
// `functionToolCallResult` event (the SDK emits that for non-empty content only), while
// `finalFunctionToolCallResult` is "" (the SDK's `!= null`).
import assert from "node:assert/strict";
import { calling, stubClient } from "./_run_tools_stub.ts";

Deno.test('runTools(): a tool returning "" gives its message event, no functionToolCallResult', async () => {
  const { client } = stubClient([calling(["empty", "{}"], ["full", "{}"])]);
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    tools: [
      { type: "function", function: { name: "full", parameters: {}, function: () => "x" } },
      { type: "function", function: { name: "empty", parameters: {}, function: () => "" } },
    ],
  });
  const results: string[] = [];
  runner.on("functionToolCallResult", (content) => results.push(content));
  const toolMessages: unknown[] = [];
  runner.on("message", (m) => {
    // Typed as the assistant's message; runTools() emits its tool messages too.
    const { role, content } = m as { role: string; content: unknown };
    if (role == "tool") toolMessages.push(content);
  });
  const finals: string[] = [];
  runner.on("finalFunctionToolCallResult", (content) => finals.push(content));
  await runner.done();
  assert.deepEqual(toolMessages, ["", "x"]);
  assert.deepEqual(results, ["x"]);
  assert.deepEqual(finals, ["x"]);
});

Deno.test('runTools(): the last tool result "" is the final result, emitted', async () => {
  const { client } = stubClient([calling(["empty", "{}"])]);
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    tools: [
      { type: "function", function: { name: "empty", parameters: {}, function: () => "" } },
    ],
  });
  const results: string[] = [];
  runner.on("functionToolCallResult", (content) => results.push(content));
  const finals: string[] = [];
  runner.on("finalFunctionToolCallResult", (content) => finals.push(content));
  assert.equal(await runner.finalFunctionToolCallResult(), "");
  assert.deepEqual(results, []);
  assert.deepEqual(finals, [""]);
});
