/**
 * Embeddings: deterministic unit vectors derived from deployment + input text.
 *
 * The vector for `(deployment, text)` is drawn from a mulberry32 generator seeded by
 * the FNV-1a hash of `deployment + "\u0000" + text` and normalised to length 1 in
 * Float32. A token id array is hashed as `deployment + "\u0001" + ids.join(",")`, so
 * `[1, 2, 3]` and the string `"1,2,3"` get different vectors. A request for fewer
 * `dimensions` draws the same prefix and renormalises it, which mirrors how
 * text-embedding-3 shortens vectors. No crypto, no allocation beyond the vector itself.
 *
 * @module
 */

import type { HandlerContext } from "./_context.ts";
import { encodeBase64 } from "./_base64.ts";
import { checkNotNull, checkNoTokenIds, knownFields } from "./_guards.ts";
import { fnv1a, mulberry32 } from "./_hash.ts";
import { invalidRequest, missingParam } from "./_response.ts";
import { checkType } from "./chat_validate.ts";
import { countTokens } from "./tokens.ts";

/** Most inputs one request may carry. */
export const MAX_EMBEDDING_INPUTS = 2048;
/** Most tokens one input may have. */
export const MAX_EMBEDDING_INPUT_TOKENS = 8191;

/**
 * Default vector length of a model: 3072 for `*-3-large`, else 1536.
 *
 * @example Vector lengths of the embedding models
 * ```ts
 * import { defaultDimensions } from "@aoai/edge/emulator";
 * console.log(defaultDimensions("text-embedding-3-large")); // 3072
 * console.log(defaultDimensions("text-embedding-ada-002")); // 1536
 * ```
 */
export function defaultDimensions(model: string): number {
  return model.includes("3-large") ? 3072 : 1536;
}

/**
 * The emulator's embedding of `input` (a text or an array of token ids) for `deployment`:
 * a Float32 unit vector.
 *
 * @example Predict the vector a test will receive
 * ```ts
 * import { embeddingVector } from "@aoai/edge/emulator";
 * const v = embeddingVector("text-embedding-3-small", "hello", 1536);
 * console.log(v.length); // 1536
 * ```
 */
export function embeddingVector(
  deployment: string,
  input: string | readonly number[],
  dimensions: number,
): Float32Array {
  const text = typeof input === "string" ? input : input.join(",");
  const kind = typeof input === "string" ? "\u0000" : "\u0001";
  const next = mulberry32(fnv1a(text, fnv1a(kind, fnv1a(deployment))));
  const out = new Float32Array(dimensions);
  let sum = 0;
  for (let i = 0; i < dimensions; i++) {
    const x = next() * 2 - 1;
    out[i] = x;
    sum += x * x;
  }
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 1;
  for (let i = 0; i < dimensions; i++) out[i] = out[i] * inv;
  return out;
}

/** A validated input: the text or token ids used for hashing, and its token count. */
interface PreparedInput {
  key: string | number[];
  tokens: number;
}

function isTokenArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((t) => Number.isInteger(t));
}

function prepareInputs(input: unknown): PreparedInput[] | Response {
  const bad = () =>
    invalidRequest(
      "input",
      "'$.input' is invalid. Send a non-empty string, an array of non-empty strings, an array of token ids, or an array of token id arrays.",
    );
  if (typeof input === "string") {
    if (input === "") return bad();
    return [{ key: input, tokens: countTokens(input) }];
  }
  if (!Array.isArray(input) || input.length === 0) return bad();
  if (isTokenArray(input)) return [{ key: input, tokens: input.length }];
  if (input.length > MAX_EMBEDDING_INPUTS) {
    return invalidRequest(
      "input",
      `Too many inputs. The max number of inputs is ${MAX_EMBEDDING_INPUTS}. Split the request into batches of at most ${MAX_EMBEDDING_INPUTS} inputs.`,
    );
  }
  const out: PreparedInput[] = [];
  // string[] or integer[][]: an array mixing both fits neither.
  const texts = typeof input[0] === "string";
  for (const item of input) {
    if (texts && typeof item === "string" && item !== "") {
      out.push({ key: item, tokens: countTokens(item) });
    } else if (!texts && isTokenArray(item)) out.push({ key: item, tokens: item.length });
    else return bad();
  }
  return out;
}

/** Token estimate of an embeddings body for rate limiting (0 when the body is invalid). */
export function embeddingTokens(body: Record<string, unknown>): number {
  const prepared = prepareInputs(body.input);
  if (prepared instanceof Response) return 0;
  let total = 0;
  for (const p of prepared) total += p.tokens;
  return total;
}

function toBase64(vector: Float32Array): string {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < vector.length; i++) view.setFloat32(i * 4, vector[i], true);
  return encodeBase64(bytes);
}

const CACHE_SIZE = 256;
const cache = new Map<string, string>();

/** JSON (a number array or a base64 string) of one vector; the last 256 are cached. */
function serializedEmbedding(
  deployment: string,
  key: string | number[],
  dims: number,
  format: "float" | "base64",
): string {
  const input = typeof key === "string" ? `s${key}` : `t${key.join(",")}`;
  const cacheKey = `${format}\u0000${dims}\u0000${deployment}\u0000${input}`;
  const hit = cache.get(cacheKey);
  if (hit !== undefined) return hit;
  const vector = embeddingVector(deployment, key, dims);
  let json: string;
  if (format === "base64") {
    json = `"${toBase64(vector)}"`;
  } else {
    const numbers = new Array<number>(dims);
    for (let i = 0; i < dims; i++) numbers[i] = vector[i];
    json = JSON.stringify(numbers);
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(cacheKey, json);
  return json;
}

/** Handles `POST …/embeddings`. */
export function handleEmbeddings(ctx: HandlerContext, raw: Record<string, unknown>): Response {
  const body = knownFields("embeddings", raw, ctx.apiVersion);
  if (body.input === undefined || body.input === null) return missingParam("input");
  const tokenIds = checkNoTokenIds("input", body.input, ctx.apiVersion);
  if (tokenIds) return tokenIds;
  const prepared = prepareInputs(body.input);
  if (prepared instanceof Response) return prepared;
  const invalid = checkNotNull("embeddings", body, ctx.apiVersion) ??
    checkType(body, "user", "string") ?? checkType(body, "input_type", "string");
  if (invalid) return invalid;
  const maxDims = defaultDimensions(ctx.deployment.model);
  let dims = maxDims;
  if (body.dimensions !== undefined && body.dimensions !== null) {
    if (!ctx.deployment.model.includes("embedding-3")) {
      return invalidRequest(
        "dimensions",
        `This model does not support specifying dimensions. Remove 'dimensions' or use a text-embedding-3 deployment (this one runs ${ctx.deployment.model}).`,
      );
    }
    const d = body.dimensions;
    if (typeof d !== "number" || !Number.isInteger(d) || d < 1 || d > maxDims) {
      return invalidRequest(
        "dimensions",
        `'dimensions' must be an integer between 1 and ${maxDims} for ${ctx.deployment.model}.`,
      );
    }
    dims = d;
  }
  const format = body.encoding_format ?? "float";
  if (format !== "float" && format !== "base64") {
    return invalidRequest("encoding_format", "'encoding_format' must be 'float' or 'base64'.");
  }
  let tokens = 0;
  for (const p of prepared) {
    if (p.tokens > MAX_EMBEDDING_INPUT_TOKENS) {
      return invalidRequest(
        "input",
        `This model's maximum context length is ${
          MAX_EMBEDDING_INPUT_TOKENS + 1
        } tokens, however you requested ${p.tokens} tokens in one input. Shorten that input.`,
        "context_length_exceeded",
      );
    }
    tokens += p.tokens;
  }
  const items: string[] = [];
  for (let index = 0; index < prepared.length; index++) {
    const embedding = serializedEmbedding(ctx.deployment.name, prepared[index].key, dims, format);
    items.push(`{"object":"embedding","index":${index},"embedding":${embedding}}`);
  }
  // Built by hand so cached vector JSON is reused without re-serialising.
  const json = `{"object":"list","data":[${items.join(",")}],"model":${
    JSON.stringify(ctx.deployment.model)
  },"usage":{"prompt_tokens":${tokens},"total_tokens":${tokens}}}`;
  return new Response(json, { headers: { "content-type": "application/json" } });
}
