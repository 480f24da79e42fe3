// runTools(): the model's replies are sent back in the next request with their request fields
// only, as the openai SDK's runner: audio as its id, a null refusal / function_call left out,
// tool calls as id, type, name and arguments; other messages as given.
import assert from "node:assert/strict";
import { stubClient } from "./_run_tools_stub.ts";

Deno.test("runTools(): an assistant reply is sent back with its request fields only", async () => {
  const reply = {
    role: "assistant",
    content: null,
    refusal: null,
    function_call: null,
    audio: { id: "au1", data: "AAAA", expires_at: 9, transcript: "hi" },
    annotations: [],
    tool_calls: [{
      id: "c0",
      type: "function",
      index: 0,
      function: { name: "t", arguments: "{}", parsed_arguments: {} },
    }],
  };
  const { client, bodies } = stubClient([reply]);
  const user = { role: "user" as const, content: "Hi", name: "ann" };
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [user],
    tools: [{ type: "function", function: { name: "t", parameters: {}, function: () => "ok" } }],
  });
  await runner.done();
  assert.deepEqual(bodies[1].messages[0], user);
  assert.deepEqual(bodies[1].messages[1], {
    role: "assistant",
    audio: { id: "au1" },
    content: null,
    tool_calls: [{ id: "c0", type: "function", function: { arguments: "{}", name: "t" } }],
  });
});

Deno.test("runTools(): an assistant message's refusal, function_call and name are sent when set", async () => {
  const { client, bodies } = stubClient([]);
  const assistant = {
    role: "assistant" as const,
    content: "x",
    refusal: "no",
    name: "bot",
    function_call: { name: "f", arguments: "{}" },
  };
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }, assistant, { role: "user", content: "Again" }],
    tools: [{ type: "function", function: { name: "t", parameters: {}, function: () => "ok" } }],
  });
  await runner.done();
  assert.deepEqual(bodies[0].messages[1], assistant);
});
