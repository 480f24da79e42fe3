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
  // `prompt` is checked below (optional: upstream judges an absent one by its api-version).
  // From 0 (spec): with `echo` and `logprobs`, scores the prompt without generating.
  max_tokens: rangedInteger(0),
  echo: v.optional(v.nullable(v.boolean())),
  best_of: rangedInteger(0, 20),
  logprobs: rangedInteger(0, 5),
  suffix: v.optional(v.nullable(v.string())),
});

/** Checks a completions body: `prompt` (string, strings, tokens, null or absent), sampling fields. */
export function checkCompletionsBody(
  body: Record<string, unknown>,
): Checked<Record<string, unknown>> {
  const seed = seedProblem(body);
  if (seed) return { ok: false, problem: seed };
  const result = v.safeParse(COMPLETIONS_SCHEMA, body);
  if (!result.success) return { ok: false, problem: problemOf(result.issues) };
  // Nullable, and optional in 2024-02-01 / 2024-05-01-preview (2024-10-21 requires it): either
  // way the service then prompts with <|endoftext|>; upstream judges an absent one.
  const prompt = body.prompt == null
    ? undefined
    : checkTextOrTokens(body.prompt, "prompt", { allowEmpty: true, max: 2048 });
  if (prompt) return { ok: false, problem: prompt };
  return { ok: true, value: body };
}
