/**
 * Wiring of the core `cache()` middleware into the edge app's upstream calls.
 *
 * @module
 */
import type { Middleware } from "../src/middleware/types.ts";
import type { ResolvedOptions } from "./options.ts";

/** Per-call middleware lists for the cached operations. */
export interface Caching {
  /** Middleware for one embeddings call, or undefined without a cache. */
  embeddings(waitUntil: ((p: Promise<unknown>) => void) | undefined): Middleware[] | undefined;
}

/** Builds the caching middleware once per app. */
export function createCaching(_opts: ResolvedOptions): Caching {
  return { embeddings: () => undefined };
}
