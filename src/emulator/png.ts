/**
 * A tiny PNG encoder (8-bit RGB, zlib "stored" blocks, CRC-32 and Adler-32) for the
 * emulator's generated images. Real, valid PNG files; not compressed.
 *
 * @module
 */

import { concatBytes } from "./_bytes.ts";
import { mulberry32 } from "./_hash.ts";

const CRC_TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c >>> 0;
}

/** CRC-32 (ISO-HDLC, as PNG uses) of `bytes`. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Adler-32 of `bytes` (the zlib trailer). */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (a + bytes[i]) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Wraps `raw` in a zlib stream of stored (uncompressed) deflate blocks. */
export function zlibStored(raw: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(raw.length / 65535));
  const out = new Uint8Array(2 + raw.length + blocks * 5 + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * 65535;
    const len = Math.min(65535, raw.length - start);
    out[o++] = b === blocks - 1 ? 1 : 0;
    out[o++] = len & 0xff;
    out[o++] = len >>> 8;
    out[o++] = ~len & 0xff;
    out[o++] = (~len >>> 8) & 0xff;
    out.set(raw.subarray(start, start + len), o);
    o += len;
  }
  new DataView(out.buffer).setUint32(o, adler32(raw));
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** Encodes `rgb` (width*height*3 bytes, row-major) as a PNG file. */
export function encodePng(
  width: number,
  height: number,
  rgb: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const raw = new Uint8Array((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlibStored(raw)),
    chunk("IEND", new Uint8Array(0)),
  ];
  return concatBytes(parts);
}

/** Side of the square images the emulator generates, in pixels. */
export const IMAGE_SIDE = 32;

/**
 * A deterministic 32x32 gradient PNG for `seed` (the same seed gives the same bytes).
 *
 * @example Make an image
 * ```ts
 * import { seededPng } from "./png.ts";
 * const png = seededPng(42);
 * console.log(png[1] === 0x50); // true ("P" of the PNG signature)
 * ```
 */
export function seededPng(seed: number): Uint8Array<ArrayBuffer> {
  const next = mulberry32(seed);
  const a = [next() * 255, next() * 255, next() * 255];
  const b = [next() * 255, next() * 255, next() * 255];
  const rgb = new Uint8Array(IMAGE_SIDE * IMAGE_SIDE * 3);
  for (let y = 0; y < IMAGE_SIDE; y++) {
    for (let x = 0; x < IMAGE_SIDE; x++) {
      const t = (x + y) / (2 * (IMAGE_SIDE - 1));
      for (let c = 0; c < 3; c++) rgb[(y * IMAGE_SIDE + x) * 3 + c] = a[c] + (b[c] - a[c]) * t;
    }
  }
  return encodePng(IMAGE_SIDE, IMAGE_SIDE, rgb);
}
