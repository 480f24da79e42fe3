// runTools(): a tool's `parse` that throws is answered with the throw's message (an Error's
// message, anything else as a string), the function not run, and the run goes on; a parse's
// result (also awaited) is what the function gets.
import assert from "node:assert/strict";
import { calling, stubClient } from "./_run_tools_stub.ts";

Deno.test("runTools(): a parse that throws sends its message back and skips the function", async () => {
  const { client, bodies } = stubClient([calling(["e", "{}"], ["s", "{}"], ["ok", '{"x":2}'])]);
  const ran: unknown[] = [];
  const tool = (name: string, parse: (s: string) => unknown) => ({
    type: "function" as const,
    function: { name, parameters: {}, parse, function: (args: unknown) => (ran.push(args), "ran") },
  });
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    tools: [
      tool("e", () => {
        throw new SyntaxError("bad args");
      }),
      tool("s", () => {
        throw "just text";
      }),
      tool("ok", (s) => Promise.resolve(JSON.parse(s))),
    ],
  });
  assert.equal(await runner.finalContent(), "done");
  assert.deepEqual(bodies[1].messages.slice(2).map((m) => m.content), [
    "bad args",
    "just text",
    "ran",
  ]);
  assert.deepEqual(ran, [{ x: 2 }]);
});
