// A tool call that comes without an id gets one ("call_" and a UUID, as the SDK's), which its
// tool result then names: runTools() sends the call and its result paired, and stream()'s final
// completion carries it.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { stubClient } from "./_run_tools_stub.ts";

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
  const body = chunk({
    role: "assistant",
    tool_calls: [{ index: 0, type: "function", function: { name: "t", arguments: "{}" } }],
  }) + chunk({}, "tool_calls") + "data: [DONE]\n\n";
  const client = new AzureOpenAI({
    endpoint: "http://stub.local",
    apiKey: "k",
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(new Response(body, { headers: { "content-type": "text/event-stream" } })),
  });
  const completion = await client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
  }).finalChatCompletion();
  assert.match(completion.choices[0].message.tool_calls![0].id, ID);
});
