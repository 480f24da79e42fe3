// Base64 vector decoding for embeddings (not exported from mod.ts).

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Decodes a base64 string of little-endian float32 values into numbers. */
export function decodeFloat32Base64(b64: string): number[] {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const n = bin.length >>> 2;
  if (LITTLE_ENDIAN) return Array.from(new Float32Array(bytes.buffer, 0, n));
  const view = new DataView(bytes.buffer);
  return Array.from({ length: n }, (_, i) => view.getFloat32(i * 4, true));
}
