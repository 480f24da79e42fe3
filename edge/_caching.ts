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

/**
 * Builds the caching middleware once per app: a function giving a request's {@link Caching} from
 * its client's id (`client`, asked for only when a call goes through the cache). With
 * `cacheScope: "client"`, each client id has middleware of its own, whose namespace holds the id
 * (hashed into every key with the rest, so keys keep their length, and never the client key):
 * one client's entries, and its misses in flight, are never another's.
 */
export function createCaching(
  opts: ResolvedOptions,
): (client: () => Promise<string>) => Caching {
  const store = opts.cache;
  if (!store) return () => ({ embeddings: () => undefined, chat: () => undefined });
  const onStoreError = (error: unknown, operation: "get" | "set") =>
    opts.onError(
      `cache store ${operation} failed (served from upstream instead): ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  const chatTtl = opts.chatCacheTtlSeconds;
  const layers = (namespace: string) => ({
    embeddings: cache({ store, ttlSeconds: opts.embeddingsTtlSeconds, namespace, onStoreError }),
    chat: chatTtl === undefined
      ? undefined
      : cache({ store, ttlSeconds: chatTtl, namespace, chat: true, onStoreError }),
  });
  const shared = layers(opts.cacheNamespace);
  /** Per client id (one per client key): its own layers. */
  const own = new Map<string, ReturnType<typeof layers>>();
  const scoped = (pick: "embeddings" | "chat", client: () => Promise<string>): Middleware =>
  async (
    ctx,
    next,
  ) => {
    const id = await client();
    let mine = own.get(id);
    if (!mine) own.set(id, mine = layers(`${opts.cacheNamespace}\0client\0${id}`));
    return mine[pick]!(ctx, next);
  };
  return (client) => {
    const perClient = opts.cacheScope === "client";
    return {
      embeddings: (waitUntil) => [
        withWaitUntil(waitUntil),
        perClient ? scoped("embeddings", client) : shared.embeddings,
      ],
      chat: (waitUntil) =>
        shared.chat
          ? [withWaitUntil(waitUntil), perClient ? scoped("chat", client) : shared.chat]
          : undefined,
    };
  };
}
