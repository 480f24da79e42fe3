/**
 * Wiring of the core `cache()` middleware into the edge app's upstream calls: embeddings always
 * (when a store is set), deterministic chat when `chatCache` is on. Writes go through the
 * request's `waitUntil` on Workers.
 *
 * @module
 */
import { cache, WAIT_UNTIL_STATE_KEY } from "../src/middleware/cache.ts";
import type { Middleware } from "../src/middleware/types.ts";
import type { ResolvedOptions } from "./options.ts";

/** Hands cache writes to the platform, e.g. `ctx.waitUntil` on Workers. */
export type WaitUntil = (promise: Promise<unknown>) => void;

/** Per-call middleware lists for the cached operations. */
export interface Caching {
  /** Middleware for one embeddings call, or undefined without a cache. */
  embeddings(waitUntil: WaitUntil | undefined): Middleware[] | undefined;
  /** Middleware for one non-streaming chat call, or undefined unless chat caching is on. */
  chat(waitUntil: WaitUntil | undefined): Middleware[] | undefined;
}

function withWaitUntil(waitUntil: WaitUntil | undefined): Middleware {
  return (ctx, next) => {
    if (waitUntil) ctx.state[WAIT_UNTIL_STATE_KEY] = waitUntil;
    return next();
  };
}

/** Builds the caching middleware once per app. */
export function createCaching(opts: ResolvedOptions): Caching {
  const store = opts.cache;
  if (!store) return { embeddings: () => undefined, chat: () => undefined };
  const onStoreError = (error: unknown, operation: "get" | "set") =>
    opts.onError(
      `cache store ${operation} failed (served from upstream instead): ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  const embeddings = cache({
    store,
    ttlSeconds: opts.embeddingsTtlSeconds,
    namespace: opts.cacheNamespace,
    onStoreError,
  });
  const chatTtl = opts.chatCacheTtlSeconds;
  const chat = chatTtl === undefined ? undefined : cache({
    store,
    ttlSeconds: chatTtl,
    namespace: opts.cacheNamespace,
    chat: true,
    onStoreError,
  });
  return {
    embeddings: (waitUntil) => [withWaitUntil(waitUntil), embeddings],
    chat: (waitUntil) => chat ? [withWaitUntil(waitUntil), chat] : undefined,
  };
}
