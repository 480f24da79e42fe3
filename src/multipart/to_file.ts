import { nameOf, toBlob, type UploadInput, uploadProblem } from "./to_blob.ts";

/**
 * What {@link toFile} reads (the openai SDK's name for it): any {@link UploadInput}.
 *
 * @example A fetched file and bytes, ready for toFile
 * ```ts
 * import { toFile, type ToFileInput } from "@aoai/edge";
 * const inputs: ToFileInput[] = [new Response("RIFF"), new Uint8Array([82, 73, 70, 70])];
 * const files = await Promise.all(inputs.map((input) => toFile(input, "a.wav")));
 * console.log(files.map((file) => file.size)); // [ 4, 4 ]
 * ```
 */
export type ToFileInput = UploadInput;

/**
 * An upload's `file` (the openai SDK's name for it): any {@link UploadInput}.
 *
 * @example Type a helper's parameter as the SDK does
 * ```ts
 * import type { Uploadable } from "@aoai/edge";
 * const describe = (file: Uploadable) => file instanceof Blob ? `${file.size} bytes` : "a stream";
 * console.log(describe(new Blob(["RIFF"]))); // "4 bytes"
 * ```
 */
export type Uploadable = UploadInput;

/**
 * Reads `value` (or what a promise of it gives) into a `File`, as the openai SDK's `toFile()`
 * does: named `name`, else by the name it carries (a File's, the last segment of a Response's URL
 * path, the basename of a Node fs.ReadStream's `path`), else `""` (an upload then needs
 * `filename`); typed `options.type`, else a Blob's own type. A TypeError names a value of no
 * upload kind, or a Response whose body was already read.
 *
 * @example Name bytes for an upload, as SDK code does
 * ```ts
 * import { AzureOpenAI, toFile } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const file = await toFile(new Uint8Array(32_000), "hello.wav", { type: "audio/wav" });
 * const res = await client.audio.transcriptions.create({ model: "whisper", file });
 * console.log(file.name, typeof res.text); // "hello.wav" "string"
 * ```
 */
export async function toFile(
  value: ToFileInput | PromiseLike<ToFileInput>,
  name?: string | null,
  options?: FilePropertyBag,
): Promise<File> {
  const input = await value;
  const problem = uploadProblem(input);
  if (problem) throw new TypeError(`toFile(): value ${problem}`);
  const blob = await toBlob(input, 1 / 0, "toFile()");
  return new File([blob], name || nameOf(input), { type: blob.type, ...options });
}
