import type { ClientCore } from "../_internal/core.ts";
import type { RequestOptions } from "../options.ts";
import type {
  CreateEmbeddingResponse,
  CreateEmbeddingResponseBase64,
  EmbeddingCreateParams,
} from "../types/embeddings.ts";
import { post } from "./_send.ts";
import { invalid, prepare } from "./_validate.ts";
import { decodeFloat32Base64 } from "./_base64.ts";

/** Most inputs one embeddings request may carry. */
export const MAX_EMBEDDING_INPUTS = 2048;

/** Checks an embeddings `input`: non-empty, at most 2048 items, no empty strings. */
export function checkEmbeddingInput(operation: string, input: unknown): void {
  if (typeof input === "string") {
    if (input === "") throw invalid(operation, "input", "must not be an empty string");
    return;
  }
  if (!Array.isArray(input)) {
    throw invalid(operation, "input", "must be a string, an array of strings or of token arrays");
  }
  if (input.length === 0) throw invalid(operation, "input", "must not be an empty array");
  if (input.every((x) => typeof x === "number")) return;
  if (input.length > MAX_EMBEDDING_INPUTS) {
    throw invalid(
      operation,
      "input",
      `has ${input.length} items; at most ${MAX_EMBEDDING_INPUTS} per request (split the batch)`,
    );
  }
  input.forEach((item, i) => {
    if (typeof item === "string") {
      if (item === "") throw invalid(operation, `input[${i}]`, "must not be an empty string");
    } else if (
      !Array.isArray(item) || item.length === 0 || !item.every((t) => Number.isInteger(t))
    ) {
      throw invalid(operation, `input[${i}]`, "must be a non-empty string or token array");
    }
  });
}

/**
 * `client.embeddings`: vector embeddings of text.
 */
export class Embeddings {
  #core: ClientCore;

  /** @internal */
  constructor(core: ClientCore) {
    this.#core = core;
  }

  /**
   * Creates embeddings. Vectors travel as base64 on the wire and are decoded to `number[]`,
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
  ): Promise<CreateEmbeddingResponseBase64>;
  /** Overload resolving to `CreateEmbeddingResponse`. */
  create(params: EmbeddingCreateParams, options?: RequestOptions): Promise<CreateEmbeddingResponse>;
  async create(
    params: EmbeddingCreateParams,
    options?: RequestOptions,
  ): Promise<CreateEmbeddingResponse | CreateEmbeddingResponseBase64> {
    const op = "embeddings.create";
    const deployment = prepare(this.#core, op, params, {
      encoding_format: ["float", "base64"],
      dimensions: [1, 65536, 1],
    });
    checkEmbeddingInput(op, params.input);
    // Vectors travel as base64 (a quarter of the JSON) unless the caller chose a format.
    const format = params.encoding_format;
    const { response } = await post(this.#core, op, "embeddings", deployment, params, options, {}, {
      ...params,
      encoding_format: format ?? "base64",
    });
    const result = await response.json() as CreateEmbeddingResponse;
    if (!format) {
      for (const item of result.data) {
        const value: unknown = item.embedding;
        if (typeof value === "string") item.embedding = decodeFloat32Base64(value);
      }
    }
    return result as CreateEmbeddingResponse;
  }
}
