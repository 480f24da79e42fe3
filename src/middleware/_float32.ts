/** Float32 little-endian byte codecs for cached embedding vectors. */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

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

/** Little-endian Float32 bytes → numbers (the byte length must be a multiple of 4). */
export function bytesToFloats(bytes: Uint8Array): number[] {
  const n = bytes.byteLength >>> 2;
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
    return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, n));
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Bytes → standard base64. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  const step = 0x2000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary);
}

/** Standard base64 → bytes; throws a TypeError (via atob's DOMException) on bad input. */
export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
