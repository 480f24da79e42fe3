/**
 * Wire types of embeddings (`POST /deployments/{deployment-id}/embeddings`), from the
 * inline request and response schemas of `2024-10-21/inference.json`.
 *
 * @module
 */

/**
 * Format of the returned vectors. Closed, unlike the client's check (which sends any string):
 * the reply types describe `number[]` and base64 vectors only, so another format needs a cast.
 *
 * @example Ask for base64 vectors
 * ```ts
 * import type { EmbeddingCreateParams, EmbeddingEncodingFormat } from "@aoai/edge";
 * const format: EmbeddingEncodingFormat = "base64"; // a smaller reply than "float"
 * const params: EmbeddingCreateParams = { input: "this is a test", encoding_format: format };
 * console.log(params.encoding_format); // "base64"
 * ```
 */
export type EmbeddingEncodingFormat = "float" | "base64";

/**
 * Parameters of an embeddings request. `model` names the deployment.
 *
 * @example Embed two strings
 * ```ts
 * import type { EmbeddingCreateParams } from "@aoai/edge";
 * const params: EmbeddingCreateParams = {
 *   model: "text-embedding-3-small",
 *   input: ["first text", "second text"],
 *   dimensions: 256,
 * };
 * console.log(params.input.length, params.dimensions); // 2 256
 * ```
 */
export interface EmbeddingCreateParams {
  /** Deployment name; defaults to the client's `deployment`. */
  model?: string;
  /**
   * Text or texts to embed (at most 2048 inputs). The Azure specs list strings only;
   * token arrays (`number[]`, `number[][]`) are the OpenAI form the service also takes.
   */
  input: string | string[] | number[] | number[][];
  /** End-user identifier for abuse monitoring. */
  user?: string;
  /** Input type of the embedding search to use. */
  input_type?: string;
  /** Vector format; `"float"` when absent (2024-03-01-preview and later). */
  encoding_format?: EmbeddingEncodingFormat | null;
  /** Output dimensions (`text-embedding-3` and later; 2024-03-01-preview and later). */
  dimensions?: number | null;
}

/**
 * One embedding vector.
 *
 * @example Compare two vectors
 * ```ts
 * import type { Embedding } from "@aoai/edge";
 * const a: Embedding = { object: "embedding", index: 0, embedding: [0.6, 0.8] };
 * const b: Embedding = { object: "embedding", index: 1, embedding: [0.8, 0.6] };
 * const dot = a.embedding.reduce((sum, x, i) => sum + x * b.embedding[i], 0);
 * console.log(dot.toFixed(2)); // "0.96" (vectors come normalised: the dot product is the cosine)
 * ```
 */
export interface Embedding {
  /** Always `"embedding"`. */
  object: "embedding";
  /** Index of the input this vector belongs to. */
  index: number;
  /** The vector. */
  embedding: number[];
}

/**
 * One embedding vector returned with `encoding_format: "base64"` (little-endian float32).
 *
 * @example Decode a base64 vector
 * ```ts
 * import type { EmbeddingBase64 } from "@aoai/edge";
 * const item: EmbeddingBase64 = { object: "embedding", index: 0, embedding: "AAAAPwAAgL4=" };
 * const bytes = Uint8Array.from(atob(item.embedding), (c) => c.charCodeAt(0));
 * const view = new DataView(bytes.buffer);
 * const vector = Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
 * console.log(vector); // [ 0.5, -0.25 ]
 * ```
 */
export interface EmbeddingBase64 {
  /** Always `"embedding"`. */
  object: "embedding";
  /** Index of the input this vector belongs to. */
  index: number;
  /** Base64 of the little-endian float32 bytes of the vector. */
  embedding: string;
}

/**
 * Token usage of an embeddings request.
 *
 * @example Tokens billed for an embeddings call
 * ```ts
 * import type { EmbeddingUsage } from "@aoai/edge";
 * const usage: EmbeddingUsage = { prompt_tokens: 4, total_tokens: 4 };
 * console.log(usage.total_tokens); // 4
 * ```
 */
export interface EmbeddingUsage {
  /** Tokens in the input. */
  prompt_tokens: number;
  /** Total tokens (equal to `prompt_tokens`). */
  total_tokens: number;
}

/**
 * An embeddings reply with float vectors.
 *
 * @example Vectors in input order
 * ```ts
 * import type { CreateEmbeddingResponse } from "@aoai/edge";
 * const res: CreateEmbeddingResponse = {
 *   object: "list",
 *   data: [{ object: "embedding", index: 0, embedding: [-0.012838088, -0.007421397] }],
 *   model: "text-embedding-ada-002",
 *   usage: { prompt_tokens: 4, total_tokens: 4 },
 * };
 * const vectors = res.data.toSorted((a, b) => a.index - b.index).map((d) => d.embedding);
 * console.log(vectors.length, res.usage.prompt_tokens); // 1 4
 * ```
 */
export interface CreateEmbeddingResponse {
  /** Always `"list"`. */
  object: "list";
  /** One vector per input, in `index` order. */
  data: Embedding[];
  /** The model that produced the vectors. */
  model: string;
  /** Token usage. */
  usage: EmbeddingUsage;
}

/**
 * An embeddings reply with base64 vectors (`encoding_format: "base64"`).
 *
 * @example Get and decode base64 vectors
 * ```ts
 * import { AzureOpenAI, type CreateEmbeddingResponseBase64 } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const res: CreateEmbeddingResponseBase64 = await client.embeddings.create({
 *   model: "text-embedding-3-small",
 *   input: "hello",
 *   encoding_format: "base64",
 *   dimensions: 4,
 * });
 * const bytes = Uint8Array.from(atob(res.data[0].embedding), (c) => c.charCodeAt(0));
 * console.log(bytes.byteLength / 4); // 4 (float32 values)
 * ```
 */
export interface CreateEmbeddingResponseBase64 {
  /** Always `"list"`. */
  object: "list";
  /** One vector per input, in `index` order. */
  data: EmbeddingBase64[];
  /** The model that produced the vectors. */
  model: string;
  /** Token usage. */
  usage: EmbeddingUsage;
}
