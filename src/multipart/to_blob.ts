/** What an upload may be given as. */
export type UploadInput = Blob | Uint8Array | ArrayBuffer | ReadableStream<Uint8Array>;

/** Thrown when an upload exceeds its size limit (checked before or while reading). */
export class UploadTooLargeError extends RangeError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "UploadTooLargeError";
  }
}

/**
 * Turns an upload into a Blob, refusing it as soon as it is known to exceed `maxBytes`.
 * Streams are read (and cancelled at the limit) so the body can be sent with a known length and
 * replayed on retry.
 */
export async function toBlob(
  input: UploadInput,
  maxBytes: number,
  describe: string,
): Promise<Blob> {
  const tooLarge = (size: number | string) =>
    new UploadTooLargeError(
      `${describe} is ${size} bytes; the service accepts at most ${maxBytes} bytes (25 MB): ` +
        "split or compress the audio",
    );
  if (input instanceof Blob) {
    if (input.size > maxBytes) throw tooLarge(input.size);
    return input;
  }
  if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) {
    const size = input.byteLength;
    if (size > maxBytes) throw tooLarge(size);
    const bytes = input instanceof ArrayBuffer
      ? new Uint8Array(input)
      : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    return new Blob([bytes as Uint8Array<ArrayBuffer>]);
  }
  if (input instanceof ReadableStream) {
    const reader = input.getReader();
    const parts: Uint8Array<ArrayBuffer>[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw tooLarge(`more than ${maxBytes}`);
      }
      parts.push(value as Uint8Array<ArrayBuffer>);
    }
    return new Blob(parts);
  }
  throw new TypeError(
    `${describe} must be a Blob, File, Uint8Array, ArrayBuffer or ReadableStream<Uint8Array>`,
  );
}
