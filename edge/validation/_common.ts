/**
 * Schema pieces shared by the chat and completions bodies.
 *
 * @module
 */
import * as v from "valibot";
import type { Problem } from "./_issues.ts";
import { topMembers } from "./_json_text.ts";
import { duplicateKeyPath } from "./_duplicate_keys.ts";
import { formatPath } from "./_issues.ts";

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
  // int64 (the spec's range); JSON.parse reads 2^63 - 1 as 2^63: past 2^53, see seedProblem().
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

/** Per body {@link parseJsonObject} made: the text of its `seed` past 2^53, as sent. */
const SEED_TEXT = new WeakMap<object, string>();

/**
 * The problem with `body`'s `seed` when, as the client wrote it (a body from
 * {@link parseJsonObject}), it is no int64 written as digits: the parse cannot tell 2^63 - 1
 * from 2^63 (nor 2^63 - 1 from 2^63 - 0.5), and the text is what goes upstream.
 */
export function seedProblem(body: Record<string, unknown>): Problem | undefined {
  const text = SEED_TEXT.get(body);
  if (
    text === undefined ||
    /^-?\d{1,19}$/.test(text) && BigInt(text) >= -(2n ** 63n) && BigInt(text) < 2n ** 63n
  ) return undefined;
  return {
    param: "seed",
    code: "invalid_value",
    message: "Invalid value for 'seed': Expected an integer from -9223372036854775808 to " +
      "9223372036854775807 (int64), written as digits.",
  };
}

/**
 * Parses a JSON object body; a problem when it is not JSON, not an object, or names a key twice
 * in one object with two value texts, at any depth (`code` duplicate_key, `param` its path):
 * JSON.parse keeps the last, which the app checks, while the body goes upstream as sent, where
 * the first may count (the same text twice reads alike, whichever is kept). A
 * `seed` past 2^53 is looked at as sent by {@link seedProblem}.
 */
export function parseJsonObject(
  bytes: Uint8Array,
):
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; message: string; code: string; param: string | null } {
  let value: unknown;
  const text = new TextDecoder().decode(bytes);
  try {
    value = JSON.parse(text);
  } catch (err) {
    // The runtime's message quotes the body around the fault (V8: `"…" is not valid JSON`,
    // JSC: the unexpected identifier): only its position is passed on, never body text.
    const at = /at position (\d+)/.exec(err instanceof Error ? err.message : "")?.[1];
    return {
      ok: false,
      code: "invalid_json",
      param: null,
      message: `The request body is not valid JSON${at ? ` (error at position ${at})` : ""}; ` +
        "send a JSON object with content-type: application/json.",
    };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      ok: false,
      code: "invalid_json",
      param: null,
      message: "The request body must be a JSON object.",
    };
  }
  const twice = duplicateKeyPath(text);
  if (twice) {
    const path = formatPath(twice);
    return {
      ok: false,
      code: "duplicate_key",
      param: path,
      message: `The request body gives the key "${path}" more than once with different ` +
        "values; give each key once per object (parsers differ in which one they keep).",
    };
  }
  const { seed } = value as Record<string, unknown>;
  if (typeof seed === "number" && !Number.isSafeInteger(seed)) {
    // The last one, as JSON.parse keeps.
    const member = topMembers(text).members.findLast((m) => m.name === "seed");
    if (member) SEED_TEXT.set(value, text.slice(member.value, member.end));
  }
  return { ok: true, value: value as Record<string, unknown> };
}
