/**
 * Cache stores used by the `cache()` middleware and the edge app.
 * @module
 */
export type { CacheSetOptions, CacheStore } from "./types.ts";
