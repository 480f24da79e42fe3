// runTools(): a call naming no given tool is answered, as the openai SDK's runner does, with a
// `tool` message listing the tools there are, and the run goes on to the next round.
import assert from "node:assert/strict";
import { calling, stubClient } from "./_run_tools_stub.ts";

Deno.test("runTools(): a call naming no tool is answered with the tools there are, then the next round", async () => {
  const { client, bodies } = stubClient([calling(["nope", "{}"])]);
  const tool = (name: string) => ({
    type: "function" as const,
    function: { name, parameters: {}, function: () => "ran" },
  });
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    tools: [tool("a"), tool("b")],
  });
  assert.equal(await runner.finalContent(), "done");
  assert.equal(bodies.length, 2);
  assert.deepEqual(bodies[1].messages[2], {
    role: "tool",
    tool_call_id: "c0",
    content: 'Invalid tool_call: "nope". Available options are: "a", "b". Please try again',
  });
});
