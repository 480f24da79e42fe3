/**
 * The size of a Deno KV key as Deno KV encodes it, for the stores that check a key prefix
 * against its 2048-byte key limit (a prefix too long fails every read and write later).
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * Bytes `parts` take in a Deno KV key: a string its UTF-8 with each 0x00 doubled, plus a tag and
 * an end byte; a number 9 bytes.
 */
export function kvKeyBytes(parts: readonly (string | number)[]): number {
  let size = 0;
  for (const part of parts) {
    if (typeof part === "number") {
      size += 9;
      continue;
    }
    const bytes = encoder.encode(part);
    size += bytes.length + 2;
    for (const byte of bytes) if (byte === 0) size++;
  }
  return size;
}

/**
 * The `prefix` (default `fallback`) and `maxAttempts` (default 32) of a Deno KV store's options,
 * checked: a TypeError naming `where` for a prefix that is not strings and numbers or is over
 * 1024 bytes as a key (keys are limited to 2 KiB), or attempts that are not a whole number ≥ 1.
 */
export function kvStoreOptions(
  options: { prefix?: readonly (string | number)[]; maxAttempts?: number },
  fallback: readonly (string | number)[],
  where: string,
): { prefix: readonly (string | number)[]; attempts: number } {
  const prefix = options.prefix ?? fallback;
  if (
    !Array.isArray(prefix) ||
    !prefix.every((p) => typeof p === "string" || typeof p === "number") ||
    kvKeyBytes(prefix) > 1024
  ) {
    throw new TypeError(
      `${where}: prefix must be an array of strings or numbers, ≤ 1024 bytes as a Deno KV key`,
    );
  }
  const attempts = options.maxAttempts ?? 32;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new TypeError(`${where}: maxAttempts must be a whole number of at least 1`);
  }
  return { prefix, attempts };
}
