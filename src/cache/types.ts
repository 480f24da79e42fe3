/** Options of {@link CacheStore.set}. */
export interface CacheSetOptions {
  /** Time to live in seconds; stores may round up to their minimum (Workers KV: 60 s). */
  ttlSeconds?: number;
}

/**
 * A byte-valued key/value store with TTL, implemented by `MemoryCache`, `DenoKvCache` and
 * `WorkersKvCache`. Keys are opaque strings (already hashed, never secrets); values are bytes.
 * `getMany` is optional: callers fall back to parallel `get`s.
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
