import type { CacheStore } from "../cache/types.ts";
import type { CacheConfig, StoreAccess } from "./_cache_store.ts";
import { chatThroughCache, isChatCall } from "./_chat_cache.ts";
import { embeddingsThroughCache, isEmbeddingsCall } from "./_embeddings_cache.ts";
import { CACHE_STATE_KEY, WAIT_UNTIL_STATE_KEY } from "./_state.ts";
import type { Middleware, MiddlewareContext } from "./types.ts";
import { checkFns } from "../options.ts";

export { CACHE_STATE_KEY, WAIT_UNTIL_STATE_KEY };

/**
 * The response header `cache()` sets: `hit`, `miss` or `partial`.
 *
 * @example Tell a hit from a miss
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { cache, CACHE_HEADER, MemoryCache } from "@aoai/edge/middleware";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   middleware: [cache({ store: new MemoryCache() })],
 * });
 * const params = { model: "text-embedding-3-small", input: "hello" };
 * await client.embeddings.create(params);
 * const { response } = await client.embeddings.create(params).withResponse();
 * console.log(response.headers.get(CACHE_HEADER)); // "hit"
 * ```
 */
export const CACHE_HEADER = "x-aoai-cache";

/**
 * Default TTL of cached entries: 7 days.
 *
 * @example Keep entries a day instead of a week
 * ```ts
 * import { cache, CACHE_DEFAULT_TTL_SECONDS, MemoryCache } from "@aoai/edge/middleware";
 * console.log(CACHE_DEFAULT_TTL_SECONDS / 86_400); // 7
 * const daily = cache({ store: new MemoryCache(), ttlSeconds: CACHE_DEFAULT_TTL_SECONDS / 7 });
 * console.log(typeof daily); // "function"
 * ```
 */
export const CACHE_DEFAULT_TTL_SECONDS: number = 7 * 24 * 60 * 60;

/**
 * Options of {@link cache}.
 *
 * @example Also cache deterministic chat completions
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { cache, CACHE_HEADER, type CacheOptions, MemoryCache } from "@aoai/edge/middleware";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const options: CacheOptions = { store: new MemoryCache(), namespace: "prod", chat: true };
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   middleware: [cache(options)],
 * });
 * const messages = [{ role: "user" as const, content: "Hi" }];
 * const params = { model: "gpt-4o", temperature: 0, messages };
 * await client.chat.completions.create(params);
 * const { response } = await client.chat.completions.create(params).withResponse();
 * console.log(response.headers.get(CACHE_HEADER)); // "hit"
 * ```
 */
export interface CacheOptions {
  /** Where entries live: `MemoryCache`, `DenoKvCache`, `WorkersKvCache` or your own. */
  store: CacheStore;
  /** Lifetime of new entries in seconds (default 7 days). */
  ttlSeconds?: number;
  /**
   * Separates caches that share a store (part of every key; default `""`). A new value starts an
   * empty cache: e.g. after re-pointing an embeddings deployment at another model, so no call
   * gets the old model's vectors (without it, they are served until a call of that deployment
   * goes upstream and sees the new model; see {@link cache}).
   */
  namespace?: string;
  /**
   * Also cache non-streaming chat completions that are deterministic: `temperature: 0` or a
   * `seed` (default false). Hits replay the stored JSON with usage 0. Answers cut by `length` or
   * `content_filter`, or whose content filter results flag (`filtered: true`) or could not check
   * (`error`) a choice or the prompt, are not stored.
   */
  chat?: boolean;
  /**
   * Hands the store writes to the platform so they do not delay the response (Workers:
   * `ctx.waitUntil.bind(ctx)`). A per-call `ctx.state.waitUntil` function wins. Without either,
   * writes are awaited before the response is returned.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
  /** Keys per `getMany` call (default 100); without `getMany`, parallel `get`s per group. */
  batchSize?: number;
  /**
   * Most distinct embeddings inputs one request looks up; a larger batch goes upstream uncached
   * (`x-aoai-cache: miss`). Default: unlimited, or what the store's `maxOperationsPerRequest`
   * allows (one read and one write per input, plus two).
   */
  maxItems?: number;
  /**
   * A store call slower than this counts as a failure, i.e. a miss (default 2 000 ms;
   * `Infinity`: no limit).
   */
  storeTimeoutMs?: number;
  /** Observer of store failures (which never fail the call). */
  onStoreError?: (error: unknown, operation: "get" | "set") => void;
}

function checkPositive(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== "number" || !(value > 0))) {
    throw new TypeError(`cache(): ${name} must be a positive number`);
  }
}

/**
 * Read-through cache over a {@link CacheStore}, keyed by a stable SHA-256 of the namespace,
 * the target (endpoint and path, so the deployment), and the canonical params (key order does
 * not matter). The response carries `x-aoai-cache: hit | miss | partial`; error responses are
 * never cached and a failing store never fails the call (it reads as a miss).
 *
 * Embeddings (`embeddings.create`, or any POST to a path ending in `/embeddings`) are cached per
 * input item as little-endian Float32 bytes (4 bytes per dimension) followed by the name of the
 * model that made the vector (and its length, 1 byte). A batch with some inputs
 * cached sends only the missing ones upstream and merges the answer by index; `usage` adds up
 * the tokens of every upstream call the request made (0 on a full hit; left out when the
 * upstream sent none). So it counts what was billed, not what the service would count for the
 * batch as sent: an input repeated in a batch goes upstream, and is counted, once.
 * A deployment re-pointed at another model (even one of the same vector size) makes vectors of
 * another space: a response never mixes models, and names the model that made its vectors.
 * When the answer to the missing ones has another vector size than the cached ones, or names
 * another model, the whole batch is fetched again and replaces them. Each upstream answer also
 * records the deployment's model: from then on, vectors of another model are misses. A full hit
 * has no upstream answer to compare with, so until a call goes upstream after the re-pointing,
 * full hits serve the old model's vectors, named as its (`model`); to drop them at once, change
 * `namespace`.
 * Keys leave out `encoding_format`, `user` and the api-version (vectors depend on the deployment
 * and params such as `dimensions` only);
 * upstream is asked for base64 (except on api-versions before 2024-05-01, whose spec has no
 * `encoding_format`: those get what the caller sent) and the caller gets the format it asked for.
 * Those api-versions lack `dimensions` too (the service ignores it there): a request with
 * `dimensions` on one of them goes upstream uncached, so its vectors never answer another version.
 * A batch the service refuses (more than 2,048 inputs, or strings mixed with token arrays) goes
 * upstream as sent, uncached, so it fails as it would without the cache.
 * A body holding, outside strings, a number of 16 digits or more, a fraction or an exponent
 * (which JSON.parse may round, and keys are made of the parse) goes upstream as sent, uncached.
 * Every vector, even on a miss, is rounded through Float32, so a hit returns bit-for-bit what the
 * miss returned. A 2xx that does not answer the request sent upstream (not a 200, not JSON, an
 * error object, wrong length or indexes, a vector that is not whole finite Float32 values or
 * whose length differs from `dimensions` or from the other vectors) is never stored, nor is an
 * older entry like it served; it reaches the caller as is when that request was the caller's
 * own (or differs only in `encoding_format` and the answer holds no vectors); otherwise the
 * caller's own request goes upstream, uncached (`x-aoai-cache: miss`). A body cut mid-way
 * reaches the caller as a body that fails the same way (the client's `APIConnectionError`),
 * nothing stored.
 *
 * Chat completions are cached only with `chat: true`, when not streamed and deterministic
 * (`temperature: 0` or a `seed`; not a seed past 2^53 - 1, which JSON.parse may round onto
 * another's key); keys include the api-version and leave out `stream` and `user`;
 * the order of a JSON schema's `properties` (in `response_format`, `tools`, `functions`) is part
 * of the key, as the model writes an object's members in that order.
 * Only a complete answer is stored: a 200 with as many choices as `n` asks (default 1), each
 * finished with `stop`, `tool_calls` or `function_call`, none of whose content filter results (a
 * choice's or the prompt's) flag anything (`filtered: true`) or report an `error`; one cut by
 * `length` or `content_filter`, flagged, or with another number of choices, goes to the caller
 * uncached.
 *
 * Concurrent misses of the same entries (in one isolate or process) go upstream once: the later
 * calls wait for the first one's answer and are served it as hits (usage 0), as are calls made
 * while its write to the store is in flight (the store may not hold it yet); when it stores
 * nothing (an error, a chat answer cut short) or the waiting call aborts, each sends its own.
 *
 * Place it before `retry()` (the default stack does: user middleware is outermost) so hits skip
 * the network entirely, and before `rateLimit()` (`[cache(), rateLimit()]`) so hits take no slot
 * and no tokens of the budget.
 *
 * @example Cache embeddings in memory
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * import { cache, MemoryCache } from "@aoai/edge/middleware";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   middleware: [cache({ store: new MemoryCache(), ttlSeconds: 86_400 })],
 * });
 * const params = { model: "text-embedding-3-small", input: "hello" };
 * await client.embeddings.create(params);
 * const { response } = await client.embeddings.create(params).withResponse();
 * console.log(response.headers.get("x-aoai-cache"), emulator.stats.requests); // hit 1
 * ```
 */
export function cache(options: CacheOptions): Middleware {
  if (!options?.store || typeof options.store !== "object") {
    throw new TypeError("cache(): pass { store } with a CacheStore such as new MemoryCache()");
  }
  const { store } = options;
  if (typeof store.get !== "function" || typeof store.set !== "function") {
    throw new TypeError("cache(): store must implement get(key) and set(key, value, options)");
  }
  checkFns(options, ["waitUntil", "onStoreError"], "cache()");
  checkPositive(options.ttlSeconds, "ttlSeconds");
  checkPositive(options.batchSize, "batchSize");
  checkPositive(options.storeTimeoutMs, "storeTimeoutMs");
  checkPositive(options.maxItems, "maxItems");
  const storeLimit = store.maxOperationsPerRequest ?? 0;
  const access: StoreAccess = {
    store,
    batchSize: Math.floor(options.batchSize ?? 100) || 1,
    timeoutMs: options.storeTimeoutMs ?? 2_000,
    onError: options.onStoreError,
  };
  const config: CacheConfig = {
    access,
    namespace: options.namespace ?? "",
    ttlSeconds: options.ttlSeconds ?? CACHE_DEFAULT_TTL_SECONDS,
    maxItems: options.maxItems ??
      (storeLimit > 0 ? Math.max(1, Math.floor((storeLimit - 2) / 2)) : Infinity),
    persist: (ctx, work) => {
      const perCall = ctx.state[WAIT_UNTIL_STATE_KEY];
      const waitUntil = typeof perCall === "function"
        ? perCall as (promise: Promise<unknown>) => void
        : options.waitUntil;
      if (waitUntil) {
        try {
          waitUntil(work);
          return Promise.resolve();
        } catch {
          // A broken waitUntil: fall back to awaiting.
        }
      }
      return work;
    },
    mark: (ctx: MiddlewareContext, status) => {
      ctx.state[CACHE_STATE_KEY] = status;
    },
  };
  const chat = options.chat ?? false;
  return function cache(ctx, next) {
    // (A Request's url always parses; the helpers check the method and stream.)
    const url = new URL(ctx.request.url);
    if (isEmbeddingsCall(ctx, url)) return embeddingsThroughCache(ctx, next, url, config);
    if (chat && isChatCall(ctx, url)) return chatThroughCache(ctx, next, url, config);
    return next();
  };
}
