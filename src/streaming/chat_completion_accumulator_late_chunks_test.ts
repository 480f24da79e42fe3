import assert from "node:assert/strict";
import { ChatCompletionAccumulator } from "./chat_completion_accumulator.ts";
import type { ChatCompletionChunk } from "../types/mod.ts";

// What later chunks must not undo: Azure sends chunks after the one that finishes a choice (a
// content filter verdict with `finish_reason: null`), `usage: null` around the usage chunk, and
// `system_fingerprint: null` on some chunks only.

const BASE = { id: "c1", object: "chat.completion.chunk", created: 5, model: "gpt-4o" } as const;

function fold(chunks: Partial<ChatCompletionChunk>[]) {
  const acc = new ChatCompletionAccumulator();
  for (const chunk of chunks) acc.add({ ...BASE, choices: [], ...chunk });
  return acc.result();
}

Deno.test("ChatCompletionAccumulator keeps finish_reason when a later chunk of the choice has null", () => {
  const result = fold([
    { choices: [{ index: 0, delta: { content: "hi" }, finish_reason: "stop" }] },
    {
      choices: [{
        index: 0,
        delta: {},
        finish_reason: null,
        content_filter_results: { hate: { filtered: false, severity: "safe" } },
      }],
    },
  ]);
  assert.equal(result.choices[0].finish_reason, "stop");
});

Deno.test("ChatCompletionAccumulator keeps usage when a later chunk has usage: null", () => {
  const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };
  assert.deepEqual(fold([{ usage: null }, { usage }, { usage: null }]).usage, usage);
});

Deno.test("ChatCompletionAccumulator takes the first real system_fingerprint, else the first null", () => {
  const fingerprints = (...list: (string | null | undefined)[]) =>
    fold(list.map((system_fingerprint) => ({ system_fingerprint }))).system_fingerprint;
  assert.equal(fingerprints(undefined, null, "", "fp_a", "fp_b", null), "fp_a");
  assert.equal(fingerprints(undefined, null, null), null);
  assert.equal(fingerprints("", null), "");
  assert.equal("system_fingerprint" in fold([{}]), false);
});

Deno.test("ChatCompletionAccumulator puts a choice without index at 0 and leaves no hole for a missing one", () => {
  const noIndex = { delta: { content: "a" } } as ChatCompletionChunk["choices"][0];
  const result = fold([
    { choices: [noIndex] },
    { choices: [{ index: 2, delta: { content: "c" } }] },
  ]);
  assert.deepEqual(result.choices.map((c) => [c.index, c.message.content]), [[0, "a"], [2, "c"]]);
  assert.equal(result.choices.length, 2);
  assert.deepEqual(
    fold([{ choices: [{ index: 1, delta: { content: "b" } }] }]).choices.map((c) => c.index),
    [1],
  );
});

Deno.test("ChatCompletionAccumulator keeps a logprob array when a later piece has that member null", () => {
  const token = { token: "a", logprob: -1, bytes: null, top_logprobs: [] };
  const result = fold([
    {
      choices: [{
        index: 0,
        delta: { content: "a" },
        logprobs: { content: [token], refusal: null },
      }],
    },
    { choices: [{ index: 0, delta: {}, logprobs: { content: null, refusal: null } }] },
  ]);
  assert.deepEqual(result.choices[0].logprobs, { content: [token], refusal: null });
});
