// Bodies the 2024-10-21 spec (inference.json) calls valid must reach the service: seeds over the
// int64 range, `parallel_tool_calls: null`, and the completions ranges (`max_tokens` from 0, to
// score a prompt with `echo` and `logprobs`; `best_of` from 0 to 20).
import assert from "node:assert/strict";
import { checkChatBody, checkCompletionsBody, checkEmbeddingsBody } from "./mod.ts";

const messages = [{ role: "user", content: "hi" }];

Deno.test("checkChatBody() / checkCompletionsBody() take any int64 seed (spec: -2^63 to 2^63-1)", () => {
  // JSON.parse reads 9223372036854775807 as 2^63, -9223372036854775808 as -2^63.
  for (const text of ["9223372036854775807", "-9223372036854775808", "9007199254740993"]) {
    const seed = JSON.parse(text);
    assert.ok(checkChatBody({ messages, seed }).ok, text);
    assert.ok(checkCompletionsBody({ prompt: "x", seed }).ok, text);
  }
  const over = checkChatBody({ messages, seed: 2 ** 64 });
  assert.equal(over.ok ? undefined : over.problem.param, "seed");
  const fraction = checkCompletionsBody({ prompt: "x", seed: 1.5 });
  assert.equal(fraction.ok ? undefined : fraction.problem.param, "seed");
});

Deno.test("checkChatBody() takes parallel_tool_calls: null (spec: nullable)", () => {
  const tools = [{ type: "function", function: { name: "f" } }];
  assert.ok(checkChatBody({ messages, tools, parallel_tool_calls: null }).ok);
  const bad = checkChatBody({ messages, parallel_tool_calls: "yes" });
  assert.equal(bad.ok ? undefined : bad.problem.param, "parallel_tool_calls");
});

Deno.test("checkCompletionsBody() takes max_tokens 0 and best_of 0 to 20 (spec ranges)", () => {
  // Scoring a prompt: no completion tokens, the prompt's logprobs echoed.
  assert.ok(checkCompletionsBody({ prompt: "x", max_tokens: 0, echo: true, logprobs: 1 }).ok);
  assert.ok(checkCompletionsBody({ prompt: "x", best_of: 0 }).ok);
  assert.ok(checkCompletionsBody({ prompt: "x", best_of: 20 }).ok);
  const param = (body: Record<string, unknown>) => {
    const r = checkCompletionsBody(body);
    return r.ok ? undefined : r.problem.param;
  };
  assert.equal(param({ prompt: "x", max_tokens: -1 }), "max_tokens");
  assert.equal(param({ prompt: "x", best_of: 21 }), "best_of");
  assert.equal(param({ prompt: "x", best_of: -1 }), "best_of");
});

Deno.test("checkEmbeddingsBody() takes dimensions: null and encoding_format: null (spec: nullable)", () => {
  assert.ok(checkEmbeddingsBody({ input: "x", dimensions: null, encoding_format: null }).ok);
  const bad = checkEmbeddingsBody({ input: "x", dimensions: "256" });
  assert.equal(bad.ok ? undefined : bad.problem.param, "dimensions");
});
