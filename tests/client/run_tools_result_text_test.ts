// runTools(): what a tool's function returns is sent back as the `tool` message's content: a
// string as is, undefined as "undefined", anything else as JSON (as the openai SDK's runner).
import assert from "node:assert/strict";
import { calling, stubClient } from "./_run_tools_stub.ts";

Deno.test('runTools(): a tool\'s result is sent as is (string), "undefined", or as JSON', async () => {
  const results: unknown[] = ["plain", undefined, { a: 1 }, null, 0];
  const { client, bodies } = stubClient([
    calling(...results.map((_, i) => [`t${i}`, "{}"] as [string, string])),
  ]);
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    tools: results.map((out, i) => ({
      type: "function" as const,
      function: { name: `t${i}`, parameters: {}, function: () => out },
    })),
  });
  await runner.done();
  assert.deepEqual(
    bodies[1].messages.slice(2).map((m) => m.content),
    ["plain", "undefined", '{"a":1}', "null", "0"],
  );
});
