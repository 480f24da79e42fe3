// runTools(): a completion without a first choice's message ends the run with an error saying so
// (as the openai SDK's runner), no tool run.
import assert from "node:assert/strict";
import { AzureOpenAIError } from "../../mod.ts";
import { chatCompletion, clientAnswering } from "./_helpers.ts";

Deno.test("runTools(): a completion without choices ends the run with 'missing message'", async () => {
  const client = clientAnswering(chatCompletion([]));
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    tools: [{ type: "function", function: { name: "t", parameters: {}, function: () => "ok" } }],
  });
  const err = await runner.done().then(() => undefined, (e) => e);
  assert.ok(err instanceof AzureOpenAIError, String(err));
  assert.match(err.message, /missing message in ChatCompletion response/);
});
