import assert from "node:assert/strict";
import { OpenAIError } from "../../mod.ts";
import { chatCompletion, clientAnswering } from "./_helpers.ts";

// A reply whose tool call is not a function call (a proxy, a newer service): the openai SDK's
// parse() rejects with its OpenAIError naming the type; ours read `function.name` of undefined
// and rejected with a bare TypeError.
Deno.test("parse(): a tool call that is not a function call rejects with OpenAIError naming its type", async () => {
  const client = clientAnswering(chatCompletion([{
    index: 0,
    finish_reason: "tool_calls",
    logprobs: null,
    message: {
      role: "assistant",
      content: null,
      refusal: null,
      tool_calls: [{ id: "call_1", type: "custom", custom: { name: "g", input: "x" } }],
    },
  }]));
  const err = await client.chat.completions.parse({
    model: "gpt-4o",
    messages: [{ role: "user", content: "x" }],
    tools: [{ type: "function", function: { name: "lookup", strict: true } }],
  }).then(() => undefined, (e) => e);
  assert.ok(err instanceof OpenAIError, String(err));
  assert.match(err.message, /^chat\.completions\.parse: /);
  assert.match(err.message, /function/);
  assert.match(err.message, /custom/);
});
