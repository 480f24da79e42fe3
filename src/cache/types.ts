/**
 * Options of {@link CacheStore.set}.
 *
 * @example Keep an entry for a day
 * ```ts
 * import type { CacheSetOptions } from "@aoai/edge";
 * import { MemoryCache } from "@aoai/edge/middleware";
 * const store = new MemoryCache();
 * const options: CacheSetOptions = { ttlSeconds: 86_400 };
 * await store.set("k", new Uint8Array([42]), options);
 * console.log(await store.get("k")); // Uint8Array(1) [ 42 ]
 * ```
 */
export interface CacheSetOptions {
  /** Time to live in seconds; stores may round up to their minimum (Workers KV: 60 s). */
  ttlSeconds?: number;
}

/**
 * A byte-valued key/value store with TTL, implemented by `MemoryCache`, `DenoKvCache` and
 * `WorkersKvCache`. Keys are opaque strings (already hashed, never secrets); values are bytes.
 * `getMany` is optional: callers fall back to parallel `get`s.
 *
 * @example A Map-backed store under cache()
 * ```ts
 * import { AzureOpenAI, type CacheStore } from "@aoai/edge";
 * import { cache } from "@aoai/edge/middleware";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const map = new Map<string, Uint8Array>();
 * const store: CacheStore = {
 *   get: (key) => Promise.resolve(map.get(key) ?? null),
 *   set: (key, value) => Promise.resolve(void map.set(key, value)),
 *   delete: (key) => Promise.resolve(void map.delete(key)),
 * };
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   middleware: [cache({ store })],
 * });
 * const params = { model: "text-embedding-3-small", input: ["a", "b"] };
 * await client.embeddings.create(params); // both inputs go upstream and into the store
 * const again = await client.embeddings.create(params); // both come from the store
 * console.log(again.usage.prompt_tokens); // 0
 * ```
 */
export interface CacheStore {
  /** Reads a value; `null` when absent or expired. */
  get(key: string): Promise<Uint8Array | null>;
  /** Reads many values, in the order of `keys`. */
  getMany?(keys: readonly string[]): Promise<(Uint8Array | null)[]>;
  /** Writes a value. */
  set(key: string, value: Uint8Array, options?: CacheSetOptions): Promise<void>;
  /** Deletes a value (no error when absent). */
  delete(key: string): Promise<void>;
  /**
   * Most store operations one request may make, when the platform caps them (Workers KV: 1,000
   * per invocation). `cache()` then sends larger embeddings batches upstream uncached instead of
   * failing part-way.
   */
  readonly maxOperationsPerRequest?: number;
}
