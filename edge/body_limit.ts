/**
 * Reading request bodies with a size cap, before anything is parsed or sent upstream.
 *
 * @module
 */

/**
 * The result of {@link readBodyLimited}: the bytes, or why they could not be read.
 *
 * @example Narrow on `ok` before reading the bytes
 * ```ts
 * import { type LimitedBody, readBodyLimited } from "@aoai/edge/edge";
 * const request = new Request("http://x/", { method: "POST", body: '{"input":"hi"}' });
 * const body: LimitedBody = await readBodyLimited(request, 1024);
 * if (body.ok) console.log(body.bytes.byteLength); // 14
 * else console.log(body.reason);
 * ```
 */
export type LimitedBody =
  | { ok: true; bytes: Uint8Array<ArrayBuffer> }
  | { ok: false; reason: "too_large" | "unreadable" };

/**
 * Reads a request body, giving up as soon as it passes `maxBytes` (a `content-length` over the
 * cap is refused without reading). The stream is cancelled when the cap is hit.
 *
 * @example Refuse a body over 4 bytes
 * ```ts
 * import { readBodyLimited } from "@aoai/edge/edge";
 * const res = await readBodyLimited(new Request("http://x/", { method: "POST", body: "hello" }), 4);
 * console.log(res); // { ok: false, reason: "too_large" }
 * ```
 */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<LimitedBody> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => {});
    return { ok: false, reason: "too_large" };
  }
  if (request.body === null) return { ok: true, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return { ok: false, reason: "too_large" };
      }
      parts.push(value);
    }
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  if (parts.length === 1) return { ok: true, bytes: parts[0] };
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return { ok: true, bytes };
}

/** The result of {@link readFormLimited}: the form, or why it could not be had. */
export type LimitedForm =
  | { ok: true; form: FormData }
  | { ok: false; reason: "too_large" | "unreadable" | "unparsable" };

/**
 * Parses a `multipart/form-data` request body as it streams in, giving up as soon as it passes
 * `maxBytes` (a `content-length` over the cap is refused without reading). The platform's parser
 * reads the stream itself: reading the body into bytes first and parsing those held the upload
 * about five times over at its peak (`bench/upload_memory.ts`), more than a Worker's 128 MB for a
 * 25 MB upload.
 */
export async function readFormLimited(request: Request, maxBytes: number): Promise<LimitedForm> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => {});
    return { ok: false, reason: "too_large" };
  }
  let size = 0;
  let state: "reading" | "too_large" | "ended" = request.body ? "reading" : "ended";
  const counted = request.body?.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) {
          state = "too_large";
          throw new RangeError("over the body limit");
        }
        controller.enqueue(chunk);
      },
      flush() {
        state = "ended";
      },
    }),
  );
  try {
    // As sent: the boundary is case-sensitive (browsers' have capitals).
    const headers = { "content-type": request.headers.get("content-type") ?? "" };
    return { ok: true, form: await new Response(counted, { headers }).formData() };
  } catch {
    // Over the cap, the client's body failing before its end, or bytes that are no form.
    return {
      ok: false,
      reason: state === "reading" ? "unreadable" : state === "ended" ? "unparsable" : state,
    };
  }
}
