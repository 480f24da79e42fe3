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
 * replayed on retry. The caller checks that `input` is an {@link UploadInput}.
 */
export async function toBlob(
  input: UploadInput,
  maxBytes: number,
  describe: string,
): Promise<Blob> {
  const tooLarge = (size: number | string): UploadTooLargeError =>
    new UploadTooLargeError(
      `${describe} is ${size} bytes; at most ${maxBytes} bytes are allowed: split or compress it`,
    );
  let parts: BlobPart[] = [input as ArrayBuffer];
  if (input instanceof ReadableStream) {
    const reader = input.getReader();
    let total = 0;
    parts = [];
    for (let r; !(r = await reader.read()).done;) {
      if ((total += r.value.byteLength) > maxBytes) {
        await reader.cancel();
        throw tooLarge(`more than ${maxBytes}`);
      }
      parts.push(r.value as Uint8Array<ArrayBuffer>);
    }
  }
  const blob = input instanceof Blob ? input : new Blob(parts);
  if (blob.size > maxBytes) throw tooLarge(blob.size);
  return blob;
}
