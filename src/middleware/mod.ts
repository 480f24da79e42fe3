/**
 * The middleware pipeline and its built-ins. Default stack of a client call, outermost first:
 * your middleware (client-level, then per-call), `retry()`, `timeout()` (per attempt, inside
 * retry), auth (innermost, so every retry re-authenticates). Passing `retry()`, `timeout()` or an
 * auth middleware yourself replaces the default one; a per-call one replaces the client's.
 *
 * @example Log every call and cache embeddings in memory
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { cache, logger, MemoryCache } from "@aoai/edge/middleware";
 * const client = new AzureOpenAI({
 *   endpoint: "https://my-res.openai.azure.com",
 *   apiKey: "<key>",
 *   middleware: [logger({ onEvent: (e) => console.log(e) }), cache({ store: new MemoryCache() })],
 * });
 * console.log(client.apiVersion);
 * ```
 *
 * @module
 */
export { compose, MiddlewareError } from "./compose.ts";
export type { CallSettings, Middleware, MiddlewareContext, Terminal } from "./types.ts";
export {
  retry,
  RETRY_STATE_KEY,
  RETRY_STATUSES,
  type RetryInfo,
  type RetryOptions,
} from "./retry.ts";
export { timeout, type TimeoutOptions } from "./timeout.ts";
export { type LogEvent, logger, type LoggerOptions } from "./logger.ts";
export {
  cache,
  CACHE_DEFAULT_TTL_SECONDS,
  CACHE_HEADER,
  CACHE_STATE_KEY,
  type CacheOptions,
  WAIT_UNTIL_STATE_KEY,
} from "./cache.ts";
export { rateLimit, type RateLimitOptions } from "./rate_limit.ts";
export { estimateRequestTokens } from "./_token_estimate.ts";
export { cacheKey, canonicalJson, sha256Hex } from "./_cache_key.ts";
export {
  MEMORY_CACHE_DEFAULT_MAX_BYTES,
  MemoryCache,
  type MemoryCacheOptions,
} from "../cache/memory_cache.ts";
export type { CacheSetOptions, CacheStore } from "../cache/types.ts";
