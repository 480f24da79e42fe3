// checkCompletionsBody(): `prompt` may be absent or null (upstream judges it by api-version),
// empty strings are prompts too, up to 2048 prompts; logprobs 0 to 5.
import assert from "node:assert/strict";
import { checkCompletionsBody } from "./completions.ts";

function param(body: Record<string, unknown>): string | null | undefined {
  const r = checkCompletionsBody(body);
  return r.ok ? undefined : r.problem.param;
}

Deno.test("checkCompletionsBody() takes an absent or null prompt, and empty ones", () => {
  for (const prompt of [undefined, null, "", ["", "a"]]) {
    assert.equal(param({ prompt }), undefined, JSON.stringify(prompt));
  }
  assert.equal(param({}), undefined);
});

Deno.test("checkCompletionsBody() takes up to 2048 prompts", () => {
  assert.equal(param({ prompt: Array(2048).fill("a") }), undefined);
  assert.equal(param({ prompt: Array(2049).fill("a") }), "prompt");
});

Deno.test("checkCompletionsBody() takes logprobs 0 to 5", () => {
  assert.equal(param({ prompt: "x", logprobs: 0 }), undefined);
  assert.equal(param({ prompt: "x", logprobs: 5 }), undefined);
  assert.equal(param({ prompt: "x", logprobs: 6 }), "logprobs");
  assert.equal(param({ prompt: "x", logprobs: -1 }), "logprobs");
});
