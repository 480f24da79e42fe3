// runTools() with tool_choice naming one function, as the openai SDK's runner: the calls are run
// one by one, a call of another tool is answered with which one was requested, and once the named
// tool has run the run ends (its later calls unanswered, no further request).
import assert from "node:assert/strict";
import { calling, stubClient } from "./_run_tools_stub.ts";

Deno.test("runTools(): tool_choice naming a function refuses other calls and ends once it ran", async () => {
  const { client, bodies } = stubClient([calling(["b", "{}"], ["a", "1"], ["a", "2"])]);
  const ran: unknown[] = [];
  const tool = (name: string) => ({
    type: "function" as const,
    function: { name, parameters: {}, function: (args: unknown) => (ran.push(name + args), name) },
  });
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    tools: [tool("a"), tool("b")],
    tool_choice: { type: "function", function: { name: "a" } },
  });
  await runner.done();
  assert.equal(bodies.length, 1);
  assert.deepEqual((bodies[0] as { tool_choice?: unknown }).tool_choice, {
    type: "function",
    function: { name: "a" },
  });
  assert.deepEqual(ran, ["a1"]);
  assert.deepEqual(runner.messages.slice(2).map((m) => (m as { content: unknown }).content), [
    'Invalid tool_call: "b". "a" requested. Please try again',
    "a",
  ]);
});

Deno.test("runTools(): tool_choice naming a function goes on while only other calls came", async () => {
  const { client, bodies } = stubClient([calling(["b", "{}"]), calling(["a", "{}"])]);
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    tools: ["a", "b"].map((name) => ({
      type: "function" as const,
      function: { name, parameters: {}, function: () => name },
    })),
    tool_choice: { type: "function", function: { name: "a" } },
  });
  await runner.done();
  assert.equal(bodies.length, 2);
  assert.equal(await runner.finalFunctionToolCallResult(), "a");
});
