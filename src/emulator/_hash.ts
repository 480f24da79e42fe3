/**
 * Cheap, deterministic hashing and pseudo-random numbers for the emulator.
 *
 * Nothing here is cryptographic: the emulator needs speed and reproducibility
 * (same input, same output), not secrecy.
 *
 * @module
 */

/** 32-bit FNV-1a hash of the UTF-16 code units of `text`, continuing from `seed`. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A mulberry32 generator: returns floats in [0, 1), fully determined by `seed`. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A string of `length` alphanumeric characters drawn from `random`. */
export function randomId(random: () => number, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHANUM[Math.floor(random() * ALPHANUM.length) % 62];
  return out;
}

/** A version-4 shaped UUID drawn from `random` (deterministic when `random` is). */
export function randomUuid(random: () => number): string {
  const hex = "0123456789abcdef";
  let out = "";
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) out += "-";
    else if (i === 14) out += "4";
    else if (i === 19) out += hex[8 + Math.floor(random() * 4) % 4];
    else out += hex[Math.floor(random() * 16) % 16];
  }
  return out;
}
