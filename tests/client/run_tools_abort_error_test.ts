// A tool whose own work is aborted (its fetch under the runner's controller.signal after abort(),
// or any error named AbortError) ends the run as an abort, as the openai SDK's runner does: an
// `abort` event and APIUserAbortError, not an `error`.
import assert from "node:assert/strict";
import { APIUserAbortError, AzureOpenAI } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

Deno.test("runTools(): a tool that throws an AbortError ends the run with abort, not error", async () => {
  const emulator = createEmulator({
    script: ({ body }) =>
      (body.messages as { role: string }[]).at(-1)?.role == "tool"
        ? undefined
        : { toolCalls: [{ name: "slow", arguments: {} }] },
  });
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: emulator.fetch,
  });
  const events: string[] = [];
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "go" }],
    tools: [{
      type: "function",
      function: {
        name: "slow",
        parameters: {},
        function: () => {
          throw new DOMException("the tool's fetch was aborted", "AbortError");
        },
      },
    }],
  });
  for (const name of ["error", "abort", "end"] as const) runner.on(name, () => events.push(name));
  await assert.rejects(runner.done(), APIUserAbortError);
  assert.deepEqual(events, ["abort", "end"]);
  // As the SDK: errored too (any failure), and aborted.
  assert.deepEqual([runner.errored, runner.aborted], [true, true]);
});
