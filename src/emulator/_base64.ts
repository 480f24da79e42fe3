/**
 * Base64 encoding of bytes without building a binary string (fast for large buffers).
 *
 * @module
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const PAIRS: string[] = [];
for (let i = 0; i < 4096; i++) PAIRS.push(ALPHABET[i >> 6] + ALPHABET[i & 63]);

/** Encodes `bytes` as standard (padded) base64. */
export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let out = "";
  const full = bytes.length - (bytes.length % 3);
  for (let i = 0; i < full; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += PAIRS[n >> 12] + PAIRS[n & 4095];
    if (out.length > 8192) {
      parts.push(out);
      out = "";
    }
  }
  const rest = bytes.length - full;
  if (rest === 1) {
    const n = bytes[full] << 16;
    out += PAIRS[n >> 12] + "==";
  } else if (rest === 2) {
    const n = (bytes[full] << 16) | (bytes[full + 1] << 8);
    out += PAIRS[n >> 12] + ALPHABET[(n >> 6) & 63] + "=";
  }
  parts.push(out);
  return parts.join("");
}
