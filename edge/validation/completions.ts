/**
 * Validation of legacy completions bodies.
 *
 * @module
 */
import * as v from "valibot";
import { rangedInteger, SAMPLING_ENTRIES, seedProblem } from "./_common.ts";
import { type Checked, problemOf } from "./_issues.ts";
import { checkTextOrTokens } from "./embeddings.ts";

const COMPLETIONS_SCHEMA = v.looseObject({
  ...SAMPLING_ENTRIES,
  prompt: v.unknown(),
  // From 0 (spec): with `echo` and `logprobs`, scores the prompt without generating.
  max_tokens: rangedInteger(0),
  echo: v.optional(v.nullable(v.boolean())),
  best_of: rangedInteger(0, 20),
  logprobs: rangedInteger(0, 5),
  suffix: v.optional(v.nullable(v.string())),
});

/** Checks a completions body: `prompt` (string, strings, tokens or null), sampling fields. */
export function checkCompletionsBody(
  body: Record<string, unknown>,
): Checked<Record<string, unknown>> {
  const seed = seedProblem(body);
  if (seed) return { ok: false, problem: seed };
  const result = v.safeParse(COMPLETIONS_SCHEMA, body);
  if (!result.success) return { ok: false, problem: problemOf(result.issues) };
  // Required but nullable (the service then prompts with <|endoftext|>).
  const prompt = body.prompt === null
    ? undefined
    : checkTextOrTokens(body.prompt, "prompt", { allowEmpty: true, max: 2048 });
  if (prompt) return { ok: false, problem: prompt };
  return { ok: true, value: body };
}
