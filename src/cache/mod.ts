/**
 * Cache stores used by the `cache()` middleware and the edge app.
 * @module
 */
export type { CacheSetOptions, CacheStore } from "./types.ts";
export {
  MEMORY_CACHE_DEFAULT_MAX_BYTES,
  MemoryCache,
  type MemoryCacheOptions,
} from "./memory_cache.ts";
