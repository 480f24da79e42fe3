/**
 * Schema pieces shared by the chat and completions bodies.
 *
 * @module
 */
import * as v from "valibot";

/** An optional, nullable number within `[min, max]`. */
export function rangedNumber(min: number, max: number) {
  return v.optional(v.nullable(v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max))));
}

/** An optional, nullable integer within `[min, max]`. */
export function rangedInteger(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  return v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max))));
}

/** Sampling and output fields common to chat and completions. */
export const SAMPLING_ENTRIES = {
  model: v.optional(v.string()), // "" too: a deployment path ignores it; on /v1/ the app says it is missing
  stream: v.optional(v.nullable(v.boolean())),
  temperature: rangedNumber(0, 2),
  top_p: rangedNumber(0, 1),
  n: rangedInteger(1, 128),
  max_tokens: rangedInteger(1),
  // int64 (the spec's range); JSON.parse reads 2^63 - 1 as 2^63.
  seed: rangedInteger(-(2 ** 63), 2 ** 63),
  stop: v.optional(
    v.nullable(v.union([v.string(), v.pipe(v.array(v.string()), v.maxLength(4))])),
  ),
  presence_penalty: rangedNumber(-2, 2),
  frequency_penalty: rangedNumber(-2, 2),
  logit_bias: v.optional(v.nullable(v.record(v.string(), v.number()))),
  user: v.optional(v.string()),
  stream_options: v.optional(v.nullable(v.looseObject({ include_usage: v.optional(v.boolean()) }))),
};

/** Parses a JSON object body; a problem when it is not JSON or not an object. */
export function parseJsonObject(
  bytes: Uint8Array,
): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    // The runtime's message quotes the body around the fault (V8: `"…" is not valid JSON`,
    // JSC: the unexpected identifier): only its position is passed on, never body text.
    const at = /at position (\d+)/.exec(err instanceof Error ? err.message : "")?.[1];
    return {
      ok: false,
      message: `The request body is not valid JSON${at ? ` (error at position ${at})` : ""}; ` +
        "send a JSON object with content-type: application/json.",
    };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, message: "The request body must be a JSON object." };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
