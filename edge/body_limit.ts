/**
 * Reading request bodies with a size cap, before anything is parsed or sent upstream.
 *
 * @module
 */

import { partHeads } from "../src/multipart/part_heads.ts";

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

/**
 * The result of {@link readFormLimited}: the form, or why it could not be had: `too_large` (over
 * the cap), `unreadable` (the body failed before its end, e.g. the client went away),
 * `unparsable` (the bytes are no multipart/form-data of the request's `content-type`) or
 * `bad_name` (a part's name or file name holds a NUL, which Deno's parser refuses as a header
 * value, or a raw CR / LF, which cuts the part's `Content-Disposition`: Deno's parser drops such
 * a part, or keeps the name up to the break; `part`: the part whose file name it is, when known).
 *
 * @example Answer each reason with its status
 * ```ts
 * import { type LimitedForm, readFormLimited } from "@aoai/edge/edge";
 * const status = (read: LimitedForm) =>
 *   read.ok ? 200 : read.reason === "too_large" ? 413 : 400;
 * const request = new Request("http://x/", {
 *   method: "POST",
 *   headers: { "content-type": "multipart/form-data; boundary=b" },
 *   body: "not a form",
 * });
 * console.log(status(await readFormLimited(request, 1024))); // 400
 * ```
 */
export type LimitedForm =
  | { ok: true; form: FormData }
  | { ok: false; reason: "too_large" | "unreadable" | "unparsable" }
  | { ok: false; reason: "bad_name"; part?: string };

/**
 * Parses a `multipart/form-data` request body as it streams in, giving up as soon as it passes
 * `maxBytes` (a `content-length` over the cap is refused without reading; the stream is cancelled
 * when the cap is hit) or holds more than `maxParts` parts (`unparsable`; default 1024: 25 MB of
 * empty fields is half a million parts, ~20 times the CPU of a 25 MB file to parse). The platform's parser reads the stream itself: reading the body into bytes
 * first and parsing those held the upload about five times over at its peak
 * (`bench/upload_memory.ts`), more than a Worker's 128 MB for a 25 MB upload. For upload routes
 * of your own; the edge app's audio routes use it with `maxMultipartBytes`. The request's
 * `content-type` (with its boundary) is used as sent. Part and file names are read from each
 * part's `Content-Disposition` as sent (quoted values may hold `;`, `=` and `\"`; a
 * `filename*=UTF-8''...` comes first), not as Deno's parser splits them.
 *
 * @example An upload route that refuses files over 25 MB with 413
 * ```ts
 * import { readFormLimited } from "@aoai/edge/edge";
 * async function upload(request: Request): Promise<Response> {
 *   const read = await readFormLimited(request, 25 * 1024 * 1024);
 *   if (!read.ok) {
 *     return new Response(read.reason, { status: read.reason === "too_large" ? 413 : 400 });
 *   }
 *   const file = read.form.get("file");
 *   return new Response(file instanceof File ? `${file.name}: ${file.size} bytes` : "no file");
 * }
 * const form = new FormData();
 * form.set("file", new File([new Uint8Array(1000)], "talk.wav", { type: "audio/wav" }));
 * const res = await upload(new Request("http://x/upload", { method: "POST", body: form }));
 * console.log(await res.text()); // talk.wav: 1000 bytes
 * ```
 */
export async function readFormLimited(
  request: Request,
  maxBytes: number,
  maxParts = 1024,
): Promise<LimitedForm> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => {});
    return { ok: false, reason: "too_large" };
  }
  let size = 0;
  // Set by the stream's callbacks (a cast, or TypeScript narrows it to its first value here).
  let state = (request.body ? "reading" : "ended") as
    | "reading"
    | "too_large"
    | "too_many"
    | "ended";
  const type = request.headers.get("content-type") ?? "";
  // Part and file names as sent: the platform's parser may misread a Content-Disposition.
  const heads = partHeads(type);
  const counted = request.body?.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) {
          state = "too_large";
          throw new RangeError("over the body limit");
        }
        heads.read(chunk);
        if (heads.delimiters > maxParts + 1) {
          state = "too_many";
          throw new RangeError("too many parts");
        }
        controller.enqueue(chunk);
      },
      flush() {
        state = "ended";
      },
    }),
  );
  try {
    const headers = { "content-type": type };
    const form = await new Response(counted, { headers }).formData();
    // A raw CR / LF in a quoted name: Deno's parser dropped the part or cut its name.
    return heads.cut
      ? { ok: false, reason: "bad_name", ...heads.cut }
      : { ok: true, form: heads.name(form) };
  } catch (err) {
    // Deno's parser on a NUL in a name: `Invalid header value: "form-data; name="file"; ..."`.
    if (
      state === "ended" && err instanceof TypeError && /^Invalid header value/.test(err.message)
    ) {
      const part = /; name="([^"\p{Cc}]{1,100})"; filename=/u.exec(err.message)?.[1];
      return part ? { ok: false, reason: "bad_name", part } : { ok: false, reason: "bad_name" };
    }
    // Over the caps, the client's body failing before its end, or bytes that are no form.
    return {
      ok: false,
      reason: state === "reading" ? "unreadable" : state === "too_large" ? state : "unparsable",
    };
  }
}
