/**
 * Validation of embeddings bodies.
 *
 * @module
 */
import * as v from "valibot";
import { type Checked, type Problem, problemOf } from "./_issues.ts";

/** Most inputs one embeddings request may carry (the service limit). */
export const MAX_EMBEDDING_INPUTS = 2048;

const EMBEDDINGS_SCHEMA = v.looseObject({
  input: v.unknown(),
  model: v.optional(v.string()),
  // Both nullable in the spec.
  dimensions: v.optional(
    v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(16384))),
  ),
  encoding_format: v.optional(
    v.nullable(v.picklist(["float", "base64"], 'Expected "float" or "base64"')),
  ),
  user: v.optional(v.string()),
  input_type: v.optional(v.string()),
});

function isTokenId(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

/**
 * Checks a text-or-tokens field (`input` of embeddings, `prompt` of completions): a string, an
 * array of strings, an array of token ids, or an array of token id arrays, with at most `max`
 * items. Returns the problem naming the exact item, or undefined.
 */
export function checkTextOrTokens(
  value: unknown,
  param: string,
  options: { allowEmpty: boolean; max: number },
): Problem | undefined {
  const bad = (where: string, what: string): Problem => ({
    param: where,
    code: "invalid_value",
    message: `Invalid value for '${where}': ${what}.`,
  });
  if (value === undefined || value === null) {
    return {
      param,
      code: "missing_required_parameter",
      message: `Missing required parameter: '${param}'.`,
    };
  }
  if (typeof value === "string") {
    return value === "" && !options.allowEmpty
      ? bad(param, "expected a non-empty string")
      : undefined;
  }
  if (!Array.isArray(value)) {
    return bad(
      param,
      "expected a string, an array of strings, an array of token ids or an array of token id arrays",
    );
  }
  if (value.length === 0) return bad(param, "expected at least one item");
  if (value.length > options.max) {
    return bad(
      param,
      `too many inputs: ${value.length}; the most one request may carry is ${options.max}, so ` +
        `split it into batches of ${options.max}`,
    );
  }
  if (typeof value[0] === "number") {
    const i = value.findIndex((t) => !isTokenId(t));
    return i === -1 ? undefined : bad(`${param}[${i}]`, "expected a token id (integer ≥ 0)");
  }
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (typeof item === "string") {
      if (item === "" && !options.allowEmpty) {
        return bad(`${param}[${i}]`, "expected a non-empty string");
      }
      if (typeof value[0] !== "string") {
        return bad(`${param}[${i}]`, "mixes strings and token arrays");
      }
      continue;
    }
    if (Array.isArray(item) && typeof value[0] !== "string") {
      if (item.length === 0) return bad(`${param}[${i}]`, "expected a non-empty token array");
      const j = item.findIndex((t) => !isTokenId(t));
      if (j !== -1) return bad(`${param}[${i}][${j}]`, "expected a token id (integer ≥ 0)");
      continue;
    }
    return bad(
      `${param}[${i}]`,
      typeof value[0] === "string" ? "expected a string" : "expected an array of token ids",
    );
  }
  return undefined;
}

/**
 * Checks an embeddings body: `input` (non-empty string, up to 2048 strings, token ids or token id
 * arrays), `dimensions`, `encoding_format`. Unknown fields pass through.
 */
export function checkEmbeddingsBody(
  body: Record<string, unknown>,
): Checked<Record<string, unknown>> {
  const result = v.safeParse(EMBEDDINGS_SCHEMA, body);
  if (!result.success) return { ok: false, problem: problemOf(result.issues) };
  const input = checkTextOrTokens(body.input, "input", {
    allowEmpty: false,
    max: MAX_EMBEDDING_INPUTS,
  });
  if (input) return { ok: false, problem: input };
  return { ok: true, value: body };
}
