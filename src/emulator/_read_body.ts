/**
 * Reads a request body chunk by chunk, checking the size as it grows, so that an oversized
 * upload is refused once it passes the limit instead of after it was held whole in memory.
 *
 * @module
 */

import { concatBytes } from "./_bytes.ts";

/**
 * The bytes of `request`'s body, or the answer `check` gives for the bytes read so far (checked
 * after every chunk); the rest of the body is then cancelled, unread.
 */
export async function readBodyChecked(
  request: Request,
  check: (bytes: number) => Response | undefined,
): Promise<Uint8Array<ArrayBuffer> | Response> {
  const parts: Uint8Array[] = [];
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concatBytes(parts);
    read += value.length;
    const refused = check(read);
    if (refused) {
      reader.cancel().catch(() => {});
      return refused;
    }
    parts.push(value);
  }
}
