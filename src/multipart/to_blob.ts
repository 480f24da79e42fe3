import { APIUserAbortError } from "../errors/api_error.ts";
import { redactText } from "../errors/redact.ts";
import { scrub } from "../_internal/core.ts";

/**
 * What an upload may be given as.
 *
 * @example Upload bytes you already hold
 * ```ts
 * import { AzureOpenAI, type UploadInput } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const file: UploadInput = new Uint8Array(32_000); // e.g. the bytes of a recording
 * const params = { model: "whisper", file, filename: "hello.wav" };
 * const res = await client.audio.transcriptions.create(params);
 * console.log(typeof res.text); // "string"
 * ```
 */
export type UploadInput =
  | Blob
  | Uint8Array
  | ArrayBuffer
  | ReadableStream<Uint8Array>
  | Response
  | AsyncIterable<Uint8Array | string>;

/**
 * The name an upload carries: a File's name, else the last segment of a Response's URL path or
 * the basename of a `path` (a Node fs.ReadStream's); empty when there is none.
 */
// deno-lint-ignore no-explicit-any
export const nameOf = (input: any): string =>
  input.name ??
    (input.url ? new URL(input.url).pathname : String(input.path ?? "")).split(/[\\/]/).pop();

/**
 * Why `input` cannot be uploaded (read by `"params.file " + problem`), or false when it can.
 */
export const uploadProblem = (input: unknown): string | false =>
  (input as Response)?.bodyUsed
    ? "is a Response whose body was already read"
    : !(input instanceof Blob || input instanceof ArrayBuffer || ArrayBuffer.isView(input) ||
      input instanceof ReadableStream || input instanceof Response ||
      Symbol.asyncIterator in Object(input)) &&
      "must be a Blob, File, Uint8Array, ArrayBuffer, ReadableStream, Response or AsyncIterable";

/**
 * Thrown when an upload exceeds its size limit (checked before or while reading).
 *
 * @example Refuse an upload over 25 MB before sending it
 * ```ts
 * import { AzureOpenAI, MAX_AUDIO_BYTES, UploadTooLargeError } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const file = new Blob([new Uint8Array(MAX_AUDIO_BYTES + 1)]);
 * try {
 *   await client.audio.transcriptions.create({ model: "whisper", file, filename: "long.wav" });
 * } catch (err) {
 *   console.log(err instanceof UploadTooLargeError); // true
 * }
 * ```
 */
export class UploadTooLargeError extends RangeError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "UploadTooLargeError";
  }
}

/**
 * Turns an upload into a Blob, refusing it as soon as it is known to exceed `maxBytes`.
 * Streams, Responses and async iterables are read (and cancelled at the limit) so the body can be sent with a known
 * length and replayed on retry. The caller checks that `input` is an {@link UploadInput}. When `signal`
 * aborts, a stream being read is cancelled and an {@link APIUserAbortError} thrown.
 */
export async function toBlob(
  input: UploadInput,
  maxBytes: number,
  describe: string,
  signal?: AbortSignal,
): Promise<Blob> {
  const tooLarge = (size: number | string): UploadTooLargeError =>
    new UploadTooLargeError(
      `${describe} is ${size} bytes; at most ${maxBytes} bytes are allowed: split or compress it`,
    );
  // A Response (as the openai SDK takes it) is read as a stream: the limit applies while reading.
  if (input instanceof Response) input = input.body ?? new Blob();
  // Any other async iterable (a Node or Bun fs.ReadStream) as a stream of its chunks (text ones
  // too); not through ReadableStream.from(), which Chromium lacks. Cancelling it (at the limit, on
  // abort) closes the iterator without waiting for that: a stalled one closes when it moves on.
  if (!(input instanceof ReadableStream) && Symbol.asyncIterator in input) {
    const chunks = input[Symbol.asyncIterator]();
    input = new ReadableStream({
      async pull(controller) {
        const next = await chunks.next();
        next.done ? controller.close() : controller.enqueue(next.value);
      },
      cancel(reason) {
        chunks.return?.(reason);
      },
    }, { highWaterMark: 0 });
  }
  let parts: BlobPart[] = [input as ArrayBuffer];
  if (input instanceof ReadableStream) {
    let total = 0;
    parts = [];
    // An abort cancels the stream: a stalled one would hold the call forever.
    await (input as ReadableStream<Uint8Array | string>).pipeTo(
      new WritableStream({
        // A text chunk counts its UTF-16 units here; the Blob's size below counts its bytes.
        write(chunk: Uint8Array<ArrayBuffer> | string) {
          if ((total += chunk.length) > maxBytes) throw tooLarge(`more than ${maxBytes}`);
          parts.push(chunk);
        },
      }),
      { signal },
    ).catch((err) => {
      throw signal?.aborted
        ? new APIUserAbortError(`${describe}: read aborted`, {
          cause: signal.reason,
        })
        // The source's own failure, with the URLs it quotes redacted (a SAS URL's `sig`).
        : scrub(err, (text) => redactText(text, []));
    });
  }
  const blob = input instanceof Blob ? input : new Blob(parts);
  if (blob.size > maxBytes) throw tooLarge(blob.size);
  return blob;
}
