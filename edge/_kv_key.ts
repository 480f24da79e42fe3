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
