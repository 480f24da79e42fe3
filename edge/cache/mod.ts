/**
 * Cache stores for the edge app, all implementing the `CacheStore` interface: Deno KV for
 * Deno / Deno Deploy and Workers KV for Cloudflare Workers.
 *
 * @module
 */
export { DenoKvCache } from "./deno_kv.ts";
export type { DenoKvCacheOptions } from "./deno_kv.ts";
export {
  WORKERS_KV_MAX_KEY_BYTES,
  WORKERS_KV_MAX_VALUE_BYTES,
  WORKERS_KV_MIN_TTL_SECONDS,
  WorkersKvCache,
} from "./workers_kv.ts";
export type { WorkersKvCacheOptions, WorkersKvNamespace } from "./workers_kv.ts";
export type { CacheSetOptions, CacheStore } from "../../src/cache/types.ts";
