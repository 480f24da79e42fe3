/**
 * Client-key authentication of the edge app, compared in constant time.
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * Compares two strings in time that depends only on the length of `expected`, not on where
 * they differ (nor on `actual`'s length beyond the comparison loop over `expected`).
 *
 * @example Compare a presented key with a configured one
 * ```ts
 * import { timingSafeEqual } from "@aoai/edge/edge";
 * console.log(timingSafeEqual("k-123", "k-123")); // true
 * console.log(timingSafeEqual("k-124", "k-123")); // false
 * ```
 */
export function timingSafeEqual(actual: string, expected: string): boolean {
  const a = encoder.encode(actual);
  const b = encoder.encode(expected);
  let diff = a.length ^ b.length;
  // An empty `a` reads a[NaN]: undefined, which `^` takes as 0 (the lengths differ already).
  for (let i = 0; i < b.length; i++) diff |= a[i % a.length] ^ b[i];
  return diff === 0;
}

/** The key a request presents: the `api-key` header, else `Authorization: Bearer <key>`. */
export function presentedKey(request: Request): string | undefined {
  const apiKey = request.headers.get("api-key");
  if (apiKey !== null && apiKey.trim() !== "") return apiKey.trim();
  return /^\s*Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
}

/** Keeps these ids apart from hashes of the same text made for other uses (cache keys). */
const CLIENT_ID_DOMAIN = "aoai-edge client id\0";

/**
 * The id the edge app gives a `RateLimiter` for a client key: the first 16 bytes (32 hex
 * characters) of SHA-256 over a fixed domain prefix and the key. It depends only on the key, so
 * a client keeps its bucket when keys are reordered, added or removed, and every deployment with
 * that key counts it under the same id; a removed key's id is never given to another key. The
 * key cannot be read back from it (as long as keys are long and random, as they should be).
 *
 * @example The id a custom limiter sees for a key
 * ```ts
 * import { clientIdOf } from "@aoai/edge/edge";
 * console.log((await clientIdOf("a-long-random-client-key")).length); // 32
 * ```
 */
export async function clientIdOf(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(CLIENT_ID_DOMAIN + key));
  return Array.from(new Uint8Array(digest, 0, 16), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/**
 * Finds which configured client key a request presents. Every configured key is compared (no
 * early exit), so timing does not reveal which key matched or how much of it.
 * Returns the key's index, or -1. The index only picks the key out of `keys`: it changes when
 * the list is reordered, so it is no identity of the client (see {@link clientIdOf}).
 *
 * @example Look up the key of a request
 * ```ts
 * import { matchClientKey } from "@aoai/edge/edge";
 * const req = new Request("http://x/", { headers: { authorization: "Bearer b" } });
 * console.log(matchClientKey(req, ["a", "b"])); // 1
 * ```
 */
export function matchClientKey(request: Request, keys: readonly string[]): number {
  const presented = presentedKey(request);
  if (presented === undefined) return -1;
  let found = -1;
  for (let i = 0; i < keys.length; i++) {
    if (timingSafeEqual(presented, keys[i]) && found === -1) found = i;
  }
  return found;
}

/**
 * Whether `text` (a header value or name the client sent) holds one of the client `keys`, in any
 * letter case: such text must not go upstream, into an event or back out.
 */
export function holdsClientKey(text: string, keys: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return keys.some((key) => lower.includes(key.trim().toLowerCase()));
}
