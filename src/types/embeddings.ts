/**
 * Wire types of embeddings (`POST /deployments/{deployment-id}/embeddings`), from the
 * inline request and response schemas of `2024-10-21/inference.json`.
 *
 * @module
 */

/** Format of the returned vectors. */
export type EmbeddingEncodingFormat = "float" | "base64";

/**
 * Parameters of an embeddings request. `model` names the deployment.
 *
 * @example Embed two strings
 * ```ts
 * import type { EmbeddingCreateParams } from "./embeddings.ts";
 * const params: EmbeddingCreateParams = {
 *   model: "text-embedding-3-small",
 *   input: ["first text", "second text"],
 *   dimensions: 256,
 * };
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

/** One embedding vector. */
export interface Embedding {
  /** Always `"embedding"`. */
  object: "embedding";
  /** Index of the input this vector belongs to. */
  index: number;
  /** The vector. */
  embedding: number[];
}

/** One embedding vector returned with `encoding_format: "base64"` (little-endian float32). */
export interface EmbeddingBase64 {
  /** Always `"embedding"`. */
  object: "embedding";
  /** Index of the input this vector belongs to. */
  index: number;
  /** Base64 of the little-endian float32 bytes of the vector. */
  embedding: string;
}

/** Token usage of an embeddings request. */
export interface EmbeddingUsage {
  /** Tokens in the input. */
  prompt_tokens: number;
  /** Total tokens (equal to `prompt_tokens`). */
  total_tokens: number;
}

/** An embeddings reply with float vectors. */
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

/** An embeddings reply with base64 vectors (`encoding_format: "base64"`). */
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
