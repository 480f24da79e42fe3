// runTools() not streamed refuses n > 1 only: n: 1 (one choice, as without n) runs as usual.
import assert from "node:assert/strict";
import { calling, stubClient } from "./_run_tools_stub.ts";

Deno.test("runTools(): n: 1 not streamed runs the tools and asks again", async () => {
  const { client, bodies } = stubClient([calling(["t", "{}"])]);
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    n: 1,
    tools: [{ type: "function", function: { name: "t", parameters: {}, function: () => "ok" } }],
  });
  assert.equal(await runner.finalContent(), "done");
  assert.equal(bodies.length, 2);
  assert.equal((bodies[0] as { n?: number }).n, 1);
});
