const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Decodes base64 into bytes. */
export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Decodes a base64 string of little-endian float32 values into numbers. */
export function decodeFloat32Base64(b64: string): number[] {
  const bytes = base64ToBytes(b64);
  const n = bytes.byteLength >>> 2;
  if (LITTLE_ENDIAN) return Array.from(new Float32Array(bytes.buffer, 0, n));
  const view = new DataView(bytes.buffer);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
