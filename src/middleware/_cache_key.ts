/**
 * Canonical JSON and stable SHA-256 cache keys, shared by `cache()` and the edge app.
 * @module
 */

import { sha256HexSync } from "./_sha256.ts";

/**
 * Serialises a JSON-like value with object keys sorted at every depth, so two objects that
 * differ only in key order serialise the same. Follows `JSON.stringify` otherwise: `undefined`
 * members and functions are skipped, non-finite numbers become `null`, `toJSON()` is honoured.
 * Throws a TypeError on cycles and on `bigint`.
 *
 * @example Key order does not matter
 * ```ts
 * import { canonicalJson } from "@aoai/edge/middleware";
 * console.log(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })); // {"a":[{"c":3,"d":2}],"b":1}
 * ```
 */
export function canonicalJson(value: unknown): string {
  const out = write(value, new Set());
  return out === undefined ? "null" : out;
}

function write(value: unknown, seen: Set<object>): string | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
    case "number": // NaN and ±Infinity give "null", as in JSON
      return JSON.stringify(value);
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    case "bigint":
      throw new TypeError("canonicalJson(): bigint values cannot be serialised; use a string");
  }
  const obj = value as object;
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return write(toJSON.call(obj), seen);
  if (seen.has(obj)) {
    throw new TypeError("canonicalJson(): the value contains a cycle; pass plain JSON data");
  }
  seen.add(obj);
  let out: string;
  if (Array.isArray(obj)) {
    // Array.from visits holes (map() skips them, and join() writes them as nothing).
    out = "[" + Array.from(obj, (item) => write(item, seen) ?? "null").join(",") + "]";
  } else {
    const record = obj as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const item = write(record[key], seen);
      if (item !== undefined) parts.push(JSON.stringify(key) + ":" + item);
    }
    out = "{" + parts.join(",") + "}";
  }
  seen.delete(obj);
  return out;
}

/**
 * Hex SHA-256 of UTF-8 bytes: short texts hashed synchronously in JavaScript (see `_sha256.ts`),
 * long ones by Web Crypto; the same digest either way.
 *
 * @example Hash a string
 * ```ts
 * import { sha256Hex } from "@aoai/edge/middleware";
 * console.log((await sha256Hex("abc")).slice(0, 8)); // "ba7816bf"
 * ```
 */
export function sha256Hex(text: string): Promise<string> {
  // A short text (an embeddings input's key) hashes faster here than through an async digest();
  // a long one (a chat body with an image in it: 16 MiB took ~150 ms here, ~35 ms there) in
  // Web Crypto.
  return text.length < SYNC_HASH_CHARS ? Promise.resolve(sha256HexSync(text)) : webCryptoHex(text);
}

/** Texts shorter than this hash in JavaScript (~40 µs at 4,096 characters, as one digest() call). */
const SYNC_HASH_CHARS = 4096;
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const ENCODER = new TextEncoder();

async function webCryptoHex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", ENCODER.encode(text)));
  let hex = "";
  for (const byte of digest) hex += HEX[byte];
  return hex;
}

/**
 * A stable cache key: the hex SHA-256 of the canonical JSON of `parts` (64 characters, fits
 * Deno KV and Workers KV key limits). Put every input the cached value depends on in `parts`
 * (namespace, operation, target, params) and never a secret.
 *
 * @example Same key whatever the key order of the params
 * ```ts
 * import { cacheKey } from "@aoai/edge/middleware";
 * const a = await cacheKey(["ns", "embeddings", { dimensions: 256, input_type: "query" }]);
 * const b = await cacheKey(["ns", "embeddings", { input_type: "query", dimensions: 256 }]);
 * console.log(a === b); // true
 * ```
 */
export function cacheKey(parts: readonly unknown[]): Promise<string> {
  return sha256Hex(canonicalJson(parts));
}
