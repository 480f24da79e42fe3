// A tool call that comes without an id gets one ("call_" and a UUID, as the SDK's), which its
// tool result then names: runTools() sends the call and its result paired, and stream()'s final
// completion carries it.
import assert from "node:assert/strict";
import { stubClient } from "./_run_tools_stub.ts";
import { clientStreaming, sseChunk } from "./_helpers.ts";

const ID = /^call_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

Deno.test("runTools(): a call without an id gets call_<uuid>; its tool message names it", async () => {
  const { client, bodies } = stubClient([{
    role: "assistant",
    content: null,
    tool_calls: [{ id: "", type: "function", function: { name: "t", arguments: "{}" } }],
  }]);
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    tools: [{ type: "function", function: { name: "t", parameters: {}, function: () => "ok" } }],
  });
  await runner.done();
  const [, assistant, tool] = bodies[1].messages as {
    tool_calls?: { id: string }[];
    tool_call_id?: string;
  }[];
  const id = assistant.tool_calls![0].id;
  assert.match(id, ID);
  assert.equal(tool.tool_call_id, id);
});

Deno.test("stream(): a streamed call without an id gets call_<uuid> in the final completion", async () => {
  const body = sseChunk({
    role: "assistant",
    tool_calls: [{ index: 0, type: "function", function: { name: "t", arguments: "{}" } }],
  }) + sseChunk({}, "tool_calls") + "data: [DONE]\n\n";
  const client = clientStreaming(body);
  const completion = await client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
  }).finalChatCompletion();
  assert.match(completion.choices[0].message.tool_calls![0].id, ID);
});
