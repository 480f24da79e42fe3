/**
 * The edge app: `createEdgeApp()` puts a cached embeddings endpoint, a streaming chat endpoint
 * and a validated pass-through for the rest of the Azure OpenAI API in front of an Azure OpenAI
 * resource (or several, primary first, with failover on 429 / 5xx), for Deno / Deno Deploy
 * (`edge/deno.ts`) and Cloudflare Workers (`edge/worker.ts`).
 * Cache stores: {@link DenoKvCache}, {@link WorkersKvCache}, {@link MemoryCache}. Rate limiters:
 * {@link ClientRateLimiter} (per isolate), {@link DenoKvRateLimiter}, {@link WorkersRateLimiter}.
 *
 * @example Serve the app in front of an Azure OpenAI resource
 * ```ts ignore
 * import { createEdgeApp, DenoKvCache } from "@aoai/edge/edge";
 * const kv = await Deno.openKv();
 * const app = createEdgeApp({
 *   upstream: { endpoint: "https://my-res.openai.azure.com", apiKey: "<azure key>" },
 *   clientKeys: ["<a long random client key>"],
 *   cache: new DenoKvCache(kv),
 * });
 * Deno.serve((req) => app.fetch(req));
 * ```
 *
 * @module
 */
export { createEdgeApp } from "./app.ts";
export type { EdgeApp } from "./app.ts";
export { denoHandler, denoOnError } from "./deno_handler.ts";
export type {
  ChatCacheOptions,
  EdgeAppOptions,
  EdgeClientKey,
  EdgeExecutionContext,
  EdgeRateLimitOptions,
  EdgeRequestEvent,
  EdgeRequestRoute,
  EdgeRequestUsage,
  EdgeTokenLimitOptions,
  EdgeTokenQuotaOptions,
  EdgeUpstreamClient,
  EdgeUpstreamOptions,
} from "./options.ts";
export type { UpstreamBalance } from "./_upstreams.ts";
export type { CorsOptions } from "./cors.ts";
export { createCors } from "./cors.ts";
export { clientIdOf, matchClientKey, timingSafeEqual } from "./auth.ts";
export { ClientRateLimiter } from "./rate_limit.ts";
export type {
  ClientRateLimitOptions,
  RateDecision,
  RateLimitDecision,
  RateLimiter,
} from "./rate_limit.ts";
export { DenoKvRateLimiter } from "./rate_limit_deno_kv.ts";
export type { DenoKvRateLimiterOptions } from "./rate_limit_deno_kv.ts";
export { WorkersRateLimiter } from "./rate_limit_workers.ts";
export type { WorkersRateLimitBinding, WorkersRateLimiterOptions } from "./rate_limit_workers.ts";
export { ClientTokenLimiter } from "./token_limit.ts";
export type { ClientTokenLimitOptions, TokenLimiter } from "./token_limit.ts";
export { DenoKvTokenLimiter } from "./token_limit_deno_kv.ts";
export { ClientTokenQuota, quotaWindow } from "./token_quota.ts";
export { DenoKvTokenQuota } from "./token_quota_deno_kv.ts";
export type { DenoKvTokenQuotaOptions } from "./token_quota_deno_kv.ts";
export type {
  ClientTokenQuotaOptions,
  TokenQuotaDecision,
  TokenQuotaLimiter,
  TokenQuotaPeriod,
} from "./token_quota.ts";
export type { DenoKvTokenLimiterOptions } from "./token_limit_deno_kv.ts";
export { entraClientCertificate, entraClientCredentials, EntraTokenError } from "./entra.ts";
export type { EntraClientCertificateOptions, EntraClientCredentialsOptions } from "./entra.ts";
export { readBodyLimited, readFormLimited } from "./body_limit.ts";
export type { LimitedBody, LimitedForm } from "./body_limit.ts";
export { completionToChunks, completionToSse } from "./chat_replay.ts";
export { playgroundRoute, renderPlayground } from "./playground.ts";
export type { PlaygroundOptions } from "./playground.ts";
export {
  DenoKvCache,
  WORKERS_KV_MAX_KEY_BYTES,
  WORKERS_KV_MAX_VALUE_BYTES,
  WORKERS_KV_MIN_TTL_SECONDS,
  WorkersKvCache,
} from "./cache/mod.ts";
export type {
  CacheSetOptions,
  CacheStore,
  DenoKvCacheOptions,
  WorkersKvCacheOptions,
  WorkersKvNamespace,
} from "./cache/mod.ts";
export { MemoryCache } from "../src/cache/memory_cache.ts";
export type { MemoryCacheOptions } from "../src/cache/memory_cache.ts";
