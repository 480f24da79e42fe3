// UTF-8 helper of the SSE parser (not exported from mod.ts).

/**
 * Where the complete UTF-8 characters of `bytes` (not empty) end: before a final lead byte
 * whose sequence is still missing bytes, else at the end. Cutting before a lead byte never
 * changes what the WHATWG decoder produces.
 */
export function completeUtf8End(bytes: Uint8Array): number {
  const len = bytes.length;
  const stop = len > 4 ? len - 4 : 0;
  let i = len - 1;
  while (i > stop && (bytes[i] & 0xc0) === 0x80) i--;
  const lead = bytes[i];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return len - i < need ? i : len;
}
