// The sampling fields chat and completions share (SAMPLING_ENTRIES): each range's two ends pass,
// just past either end is refused naming the field (the spec's ranges, inference.json).
import assert from "node:assert/strict";
import { checkChatBody } from "./chat.ts";
import { checkCompletionsBody } from "./completions.ts";

const messages = [{ role: "user", content: "hi" }];

/** The field each check names for `field: value` (undefined: it passes), chat then completions. */
function params(field: string, value: unknown): (string | null | undefined)[] {
  return [
    checkChatBody({ messages, [field]: value }),
    checkCompletionsBody({ prompt: "x", [field]: value }),
  ].map((r) => r.ok ? undefined : r.problem.param);
}

const RANGES: [string, number, number, number][] = [
  // field, lowest, highest, a step past either end
  ["temperature", 0, 2, 0.01],
  ["top_p", 0, 1, 0.01],
  ["n", 1, 128, 1],
  ["presence_penalty", -2, 2, 0.01],
  ["frequency_penalty", -2, 2, 0.01],
  // int64; doubles this far out are 2^11 apart
  ["seed", -(2 ** 63), 2 ** 63, 2 ** 11],
];

for (const [field, low, high, step] of RANGES) {
  Deno.test(`chat and completions take ${field} from ${low} to ${high}, not past them`, () => {
    assert.deepEqual(params(field, low), [undefined, undefined], `${field}: ${low}`);
    assert.deepEqual(params(field, high), [undefined, undefined], `${field}: ${high}`);
    assert.deepEqual(params(field, low - step), [field, field], `${field}: ${low - step}`);
    assert.deepEqual(params(field, high + step), [field, field], `${field}: ${high + step}`);
  });
}

Deno.test("chat takes max_tokens from 1 (completions from 0: spec_ranges_test.ts)", () => {
  assert.deepEqual(params("max_tokens", 1)[0], undefined);
  assert.deepEqual(params("max_tokens", 0)[0], "max_tokens");
});
