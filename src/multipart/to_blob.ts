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
  const tooLarge = (size: number | string): UploadTooLargeError =>
    new UploadTooLargeError(
      `${describe} is ${size} bytes; the service accepts at most ${maxBytes} bytes: split or ` +
        "compress the audio",
    );
  let blob: Blob;
  if (input instanceof Blob) blob = input;
  else if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) {
    blob = new Blob([input as Uint8Array<ArrayBuffer>]);
  } else if (input instanceof ReadableStream) {
    // Read (and cancelled at the limit) so the body has a known length and can be replayed.
    const reader = input.getReader();
    const parts: Uint8Array<ArrayBuffer>[] = [];
    let total = 0;
    for (let r; !(r = await reader.read()).done;) {
      if ((total += r.value.byteLength) > maxBytes) {
        await reader.cancel();
        throw tooLarge(`more than ${maxBytes}`);
      }
      parts.push(r.value as Uint8Array<ArrayBuffer>);
    }
    blob = new Blob(parts);
  } else {
    throw new TypeError(
      `${describe} must be a Blob, File, Uint8Array, ArrayBuffer or ReadableStream<Uint8Array>`,
    );
  }
  if (blob.size > maxBytes) throw tooLarge(blob.size);
  return blob;
}
