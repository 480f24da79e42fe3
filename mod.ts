/**
 * # @aoai/edge
 *
 * A fetch-only Azure OpenAI client for Deno, Deno Deploy, Cloudflare Workers, Node and Bun:
 * every operation of the REST reference, typed from the official OpenAPI documents, with
 * middleware (retry honouring `retry-after`, timeouts, auth) and SSE streaming. The other
 * built-in middleware (`logger()`, `cache()`, `rateLimit()`, `MemoryCache`) live in
 * `@aoai/edge/middleware`, so apps that don't use them don't ship them.
 *
 * @example Chat completion
 * ```ts ignore
 * import { AzureOpenAI } from "@aoai/edge";
 * const client = new AzureOpenAI({
 *   endpoint: "https://my-res.openai.azure.com",
 *   apiKey: Deno.env.get("AZURE_OPENAI_API_KEY"),
 *   deployment: "gpt-4o",
 * });
 * const res = await client.chat.completions.create({
 *   messages: [{ role: "user", content: "Say hello" }],
 * });
 * console.log(res.choices[0].message.content);
 * ```
 *
 * @module
 */
export { AzureOpenAI, type RawRequestInit } from "./src/client.ts";
export {
  type AzureOpenAIOptions,
  DEFAULT_API_VERSION,
  IMAGE_OPERATIONS_API_VERSION,
  type RequestOptions,
  SPEECH_API_VERSION,
} from "./src/options.ts";
export * from "./src/errors/mod.ts";
export * from "./src/auth/mod.ts";
export { compose, MiddlewareError } from "./src/middleware/compose.ts";
export type {
  CallSettings,
  Middleware,
  MiddlewareContext,
  Terminal,
} from "./src/middleware/types.ts";
export {
  retry,
  RETRY_STATE_KEY,
  RETRY_STATUSES,
  type RetryInfo,
  type RetryOptions,
} from "./src/middleware/retry.ts";
export { timeout, type TimeoutOptions } from "./src/middleware/timeout.ts";
export type { FetchLike } from "./src/transport/send.ts";
export { type UploadInput, UploadTooLargeError } from "./src/multipart/mod.ts";
export { toFile, type ToFileInput, type Uploadable } from "./src/multipart/to_file.ts";
export { Chat, ChatCompletions } from "./src/resources/chat.ts";
export { Completions } from "./src/resources/completions.ts";
export { Embeddings, MAX_EMBEDDING_INPUTS } from "./src/resources/embeddings.ts";
export { type GenerateAndWaitOptions, Images } from "./src/resources/images.ts";
export type { APIPromise, WithResponse } from "./src/resources/api_promise.ts";
export {
  Audio,
  MAX_AUDIO_BYTES,
  MAX_SPEECH_INPUT,
  Speech,
  Transcriptions,
  Translations,
} from "./src/resources/audio.ts";
export * from "./src/sse/mod.ts";
export * from "./src/streaming/mod.ts";
export type { CacheSetOptions, CacheStore } from "./src/cache/types.ts";
export * from "./src/types/mod.ts";
