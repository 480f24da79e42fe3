// chat.completions.parse() with tools it cannot parse says which (a `null` entry, a tool of
// another type such as `custom`) with its typed error, not the engine's TypeError; a reply's
// function call with no `tools` in the params (a model that calls anyway) gets
// `parsed_arguments: null`. (Mutation testing: the `?.` guarding each of these survived.)
import assert from "node:assert/strict";
import { AzureOpenAIError } from "../../mod.ts";
import { chatCompletion, clientAnswering } from "./_helpers.ts";

const reply = chatCompletion([{
  index: 0,
  finish_reason: "tool_calls",
  logprobs: null,
  message: {
    role: "assistant",
    content: null,
    refusal: null,
    tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }],
  },
}]);
const messages = [{ role: "user" as const, content: "x" }];

Deno.test("parse(): a null tool or one of another type is refused with AzureOpenAIError naming it", () => {
  const client = clientAnswering(reply);
  const cases: [unknown, string][] = [[null, "undefined"], [
    { type: "custom", custom: { name: "g" } },
    '"custom"',
  ]];
  for (const [tool, named] of cases) {
    assert.throws(
      () => client.chat.completions.parse({ model: "gpt-4o", messages, tools: [tool as never] }),
      (err: unknown) => {
        assert.ok(err instanceof AzureOpenAIError, String(err));
        assert.equal(
          err.message,
          `chat.completions.parse: only strict function tools are parsed; set strict: true on ${named}`,
        );
        return true;
      },
    );
  }
});

Deno.test("parse(): a function call in a reply to params with no tools has parsed_arguments null", async () => {
  const res = await clientAnswering(reply).chat.completions.parse({ model: "gpt-4o", messages });
  const call = res.choices[0].message.tool_calls![0];
  assert.equal(call.type, "function");
  assert.equal(
    (call as { function: { parsed_arguments?: unknown } }).function.parsed_arguments,
    null,
  );
});
