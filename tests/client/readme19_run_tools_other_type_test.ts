// README.md (switching from the SDK, runTools()): a tool without a function to run "is a
// `TypeError` at the call with nothing sent ..., and so is a tool of a type other than
// `function`" (here the SDK's custom tool shape).
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

Deno.test("runTools(): a tool of a type other than function is a TypeError at the call, nothing sent", () => {
  let requests = 0;
  const client = new AzureOpenAI({
    endpoint: "http://run-tools.local",
    apiKey: "k".repeat(32),
    fetch: () => (requests++, Promise.reject(new Error("no request expected"))),
  });
  const ok = {
    type: "function" as const,
    function: { name: "ok", parameters: {}, function: () => 1 },
  };
  for (
    const other of [
      { type: "custom", custom: { name: "grammar", description: "free text" } },
      { type: "custom", custom: { name: "grammar" }, function: { name: "grammar" } },
    ]
  ) {
    assert.throws(
      () =>
        client.chat.completions.runTools({
          model: "gpt-4o",
          messages: [{ role: "user", content: "Hi" }],
          tools: [ok, other as never],
        }),
      (e: Error) => e instanceof TypeError && /tools\[1\].*no function to run/.test(e.message),
      JSON.stringify(other),
    );
  }
  assert.equal(requests, 0);
});
