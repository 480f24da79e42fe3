/** Float32 little-endian byte codecs and base64 for cached embedding vectors. */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** Two base64 characters (as ASCII codes packed in 16 bits) per 12-bit value. */
const PAIRS = new Uint16Array(4096);
const CODES = new Uint8Array(ALPHABET.length);
for (let i = 0; i < 64; i++) CODES[i] = ALPHABET.charCodeAt(i);
for (let i = 0; i < 4096; i++) {
  // Little-endian view of two ASCII bytes: the low byte comes first in memory.
  const first = CODES[i >> 6];
  const second = CODES[i & 63];
  PAIRS[i] = LITTLE_ENDIAN ? first | (second << 8) : (first << 8) | second;
}
/** Base64 character code → 6-bit value (255 for invalid). */
const VALUES = new Uint8Array(256).fill(255);
for (let i = 0; i < 64; i++) VALUES[CODES[i]] = i;
VALUES["-".charCodeAt(0)] = 62; // base64url, tolerated
VALUES["_".charCodeAt(0)] = 63;
const ASCII = new TextDecoder(); // the output is ASCII: UTF-8 decodes it as is

/** Numbers → little-endian Float32 bytes (4 per number; values are rounded to Float32). */
export function floatsToBytes(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  if (LITTLE_ENDIAN) {
    new Float32Array(bytes.buffer).set(values);
  } else {
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  }
  return bytes;
}

/** Little-endian Float32 bytes → a Float32Array (copied when unaligned or on big-endian hosts). */
export function bytesToFloat32(bytes: Uint8Array): Float32Array {
  const n = bytes.byteLength >>> 2;
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
    return new Float32Array(bytes.buffer, bytes.byteOffset, n);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** True when every Float32 value of `bytes` is finite (no NaN, no ±Infinity). */
export function allFinite(bytes: Uint8Array): boolean {
  const values = bytesToFloat32(bytes);
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** Little-endian Float32 bytes → numbers (the byte length must be a multiple of 4). */
export function bytesToFloats(bytes: Uint8Array): number[] {
  return Array.from(bytesToFloat32(bytes));
}

/**
 * Float32 bytes → the JSON text of the number array, as `JSON.stringify` would write it
 * (non-finite values become `null`).
 */
export function float32Json(bytes: Uint8Array): string {
  const values = bytesToFloat32(bytes);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) return JSON.stringify(Array.from(values));
  }
  return `[${values.join(",")}]`;
}

/** Bytes → standard base64 (padded), via a 12-bit lookup table. */
export function bytesToBase64(bytes: Uint8Array): string {
  const whole = bytes.length - (bytes.length % 3);
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const pairs = new Uint16Array(out.buffer, 0, out.length >>> 1);
  let p = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    pairs[p++] = PAIRS[n >>> 12];
    pairs[p++] = PAIRS[n & 4095];
  }
  const rest = bytes.length - whole;
  if (rest > 0) {
    const n = (bytes[whole] << 16) | (rest === 2 ? bytes[whole + 1] << 8 : 0);
    const o = p * 2;
    out[o] = CODES[n >>> 18];
    out[o + 1] = CODES[(n >>> 12) & 63];
    out[o + 2] = rest === 2 ? CODES[(n >>> 6) & 63] : 61; // "="
    out[o + 3] = 61;
  }
  return ASCII.decode(out);
}

/**
 * Standard (or url-safe) base64 → bytes; throws a TypeError on characters outside base64 and on
 * lengths no base64 has (a dangling character, padding where none fits: a cut string).
 */
export function base64ToBytes(text: string): Uint8Array {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  if (end % 4 === 1 || (end < text.length && (text.length % 4 || text.length - end > 2))) {
    throw new TypeError(`base64ToBytes(): a base64 string cannot have length ${text.length}`);
  }
  const out = new Uint8Array((end * 3) >>> 2);
  let o = 0;
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const value = code < 256 ? VALUES[code] : 255;
    if (value === 255) {
      throw new TypeError(`base64ToBytes(): invalid base64 character at ${i}`);
    }
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >>> bits) & 255;
    }
  }
  return o === out.length ? out : out.subarray(0, o);
}
