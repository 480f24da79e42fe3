import assert from "node:assert/strict";
import { CompletionAccumulator } from "./completion_accumulator.ts";
import type { CompletionChoice } from "../types/mod.ts";

// A completions chunk choice may come without `text` (Azure's content filter verdict after the
// last token): the text so far stays as it is.

const BASE = { id: "c1", object: "text_completion", created: 1, model: "gpt-35-turbo" } as const;

Deno.test("CompletionAccumulator leaves the text alone for a choice piece without text", () => {
  const acc = new CompletionAccumulator();
  acc.add({ ...BASE, choices: [{ index: 0, text: "Hi", logprobs: null, finish_reason: "stop" }] });
  const verdict = { hate: { filtered: false, severity: "safe" } };
  const piece = { index: 0, finish_reason: null, content_filter_results: verdict };
  acc.add({ ...BASE, choices: [piece as unknown as CompletionChoice] });
  const choice = acc.result().choices[0];
  assert.equal(choice.text, "Hi");
  assert.equal(choice.finish_reason, "stop");
  assert.deepEqual(choice.content_filter_results, verdict);
});
