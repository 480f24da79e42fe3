// runTools() with a zodFunction()-like tool (its parser as $parseRaw, its function as $callback,
// not enumerable): sent as a strict function tool (description "" when none), the callback given
// what the parser gives; a plain tool without a name goes by its function's own name.
import assert from "node:assert/strict";
import { calling, stubClient } from "./_run_tools_stub.ts";

Deno.test("runTools(): a zodFunction() tool is sent strict and its callback gets the parsed args", async () => {
  const { client, bodies } = stubClient([calling(["get", '{"n":1}'], ["lookup", "{}"])]);
  const got: unknown[] = [];
  const zodLike = Object.defineProperties(
    { type: "function", function: { name: "get", parameters: { type: "object" } } },
    {
      $brand: { value: "auto-parseable-tool" },
      $parseRaw: { value: (s: string) => ({ parsed: JSON.parse(s) }) },
      $callback: { value: (args: unknown) => (got.push(args), "zod ran") },
    },
  );
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    tools: [
      zodLike as never,
      {
        type: "function",
        function: {
          parameters: {},
          description: "d",
          function: function lookup() {
            return "lookup ran";
          },
        },
      },
    ],
  });
  await runner.done();
  assert.deepEqual(bodies[0].tools, [
    {
      type: "function",
      function: { name: "get", parameters: { type: "object" }, description: "", strict: true },
    },
    { type: "function", function: { name: "lookup", parameters: {}, description: "d" } },
  ]);
  assert.deepEqual(got, [{ parsed: { n: 1 } }]);
  assert.deepEqual(bodies[1].messages.slice(2).map((m) => m.content), ["zod ran", "lookup ran"]);
});
