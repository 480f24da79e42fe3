import type { ClientCore } from "../_internal/core.ts";
import type { RequestOptions } from "../options.ts";
import type {
  CreateEmbeddingResponse,
  CreateEmbeddingResponseBase64,
  EmbeddingCreateParams,
} from "../types/embeddings.ts";
import { errorFromBody } from "../errors/from_response.ts";
import { call, invalid } from "./_call.ts";
import { takesEncodingFormat } from "./_encoding_format.ts";
import { type APIPromise, apiPromise } from "./api_promise.ts";

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes a base64 string of little-endian float32 values into numbers; throws when it is not
 * base64 of whole float32 values (a cut or corrupt vector).
 */
function decodeFloat32Base64(b64: string): number[] {
  const bin = atob(b64);
  if (bin.length & 3) throw 0;
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const n = bin.length >>> 2;
  if (LITTLE_ENDIAN) return Array.from(new Float32Array(bytes.buffer, 0, n));
  const view = new DataView(bytes.buffer);
  return Array.from({ length: n }, (_, i) => view.getFloat32(i * 4, true));
}

/**
 * Most inputs one embeddings request may carry.
 *
 * @example Split a large batch
 * ```ts
 * import { MAX_EMBEDDING_INPUTS } from "@aoai/edge";
 * const texts = Array.from({ length: 3000 }, (_, i) => `document ${i}`);
 * const batches: string[][] = [];
 * for (let i = 0; i < texts.length; i += MAX_EMBEDDING_INPUTS) {
 *   batches.push(texts.slice(i, i + MAX_EMBEDDING_INPUTS));
 * }
 * console.log(batches.map((batch) => batch.length)); // [ 2048, 952 ]
 * ```
 */
export const MAX_EMBEDDING_INPUTS = 2048;

/**
 * What is wrong with an embeddings `input` (non-empty, at most 2048 items, no empty strings),
 * if anything; a bad item throws with its index.
 */
export function checkEmbeddingInput(input: unknown, operation: string): string | undefined {
  if (typeof input === "string") return input ? undefined : "must not be an empty string";
  if (!Array.isArray(input)) return "must be a string, an array of strings or of token arrays";
  if (!input.length) return "must not be an empty array";
  if (input.every((x) => typeof x === "number")) return;
  if (input.length > MAX_EMBEDDING_INPUTS) {
    return `has ${input.length} items; at most ${MAX_EMBEDDING_INPUTS} per request (split the batch)`;
  }
  const i = input.findIndex((item) =>
    typeof item === "string"
      ? !item
      : !Array.isArray(item) || !item.length || !item.every(Number.isInteger)
  );
  if (i >= 0) throw invalid(operation, `input[${i}]`, "must be a non-empty string or token array");
}

/**
 * `client.embeddings`: vector embeddings of text.
 *
 * @example Shorter vectors with dimensions
 * ```ts
 * import { AzureOpenAI, type Embeddings } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const embeddings: Embeddings = client.embeddings;
 * const res = await embeddings.create({
 *   model: "text-embedding-3-small",
 *   input: ["first document", "second document"],
 *   dimensions: 256,
 * });
 * console.log(res.data.length, res.data[0].embedding.length); // 2 256
 * ```
 */
export class Embeddings {
  #core: ClientCore;

  /** @internal */
  constructor(core: ClientCore) {
    this.#core = core;
  }

  /**
   * Creates embeddings. Vectors travel as base64 on the wire and are decoded to `number[]`
   * (as float JSON on api-versions before 2024-05-01, whose spec has no `encoding_format`),
   * unless you ask for `encoding_format: "base64"`, which returns the base64 strings.
   *
   * @example Embed two texts
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * const emulator = createEmulator(); // a local stand-in for your resource
   * const client = new AzureOpenAI({
   *   endpoint: "http://emulator.local",
   *   apiKey: emulator.apiKey,
   *   fetch: emulator.fetch,
   * });
   * const res = await client.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] });
   * console.log(res.data[1].embedding.length);
   * ```
   */
  create(
    params: EmbeddingCreateParams & { encoding_format: "base64" },
    options?: RequestOptions,
  ): APIPromise<CreateEmbeddingResponseBase64>;
  /** Overload resolving to `CreateEmbeddingResponse`. */
  create(
    params: EmbeddingCreateParams,
    options?: RequestOptions,
  ): APIPromise<CreateEmbeddingResponse>;
  create(
    params: EmbeddingCreateParams,
    options?: RequestOptions,
  ): APIPromise<CreateEmbeddingResponse | CreateEmbeddingResponseBase64> {
    const format = params?.encoding_format;
    return apiPromise(
      call(
        this.#core,
        "embeddings.create",
        "embeddings",
        params,
        options,
        {
          dimensions: [1, 65536, 1],
          input: checkEmbeddingInput,
        },
        // Vectors travel as base64 (a quarter of the JSON) unless the caller chose a format, or
        // the api-version's spec has no encoding_format (2024-02-01: float, sent as the caller did).
        (_, model) => ({
          json: {
            ...params,
            encoding_format: format ??
              (takesEncodingFormat(this.#core.version(options)) ? "base64" : undefined),
            model,
          },
        }),
      ),
      ({ data, response }) => {
        const result = data as CreateEmbeddingResponse;
        try {
          for (const item of result.data) {
            const value: unknown = item.embedding;
            if (!format && typeof value == "string") item.embedding = decodeFloat32Base64(value);
          }
        } catch {
          // A 2xx that is not a list of vectors (a gateway's `{ "error": … }`) or has a cut one
          // is a typed error naming the call, not a TypeError or a short vector.
          throw errorFromBody(
            response.status,
            Array.isArray(result?.data) ? "a base64 vector is cut or corrupt" : data,
            { operation: "embeddings.create", url: response.url },
            response.headers,
          );
        }
        return result;
      },
    );
  }
}
