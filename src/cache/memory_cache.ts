import type { CacheSetOptions, CacheStore } from "./types.ts";

/**
 * Options of {@link MemoryCache}.
 *
 * @example Entries that expire after an hour, on a test clock
 * ```ts
 * import { MemoryCache, type MemoryCacheOptions } from "@aoai/edge/middleware";
 * let now = 0;
 * const options: MemoryCacheOptions = { defaultTtlSeconds: 3600, now: () => now };
 * const cache = new MemoryCache(options);
 * await cache.set("k", new Uint8Array([1, 2, 3]));
 * now = 3_600_000; // one hour later
 * console.log(await cache.get("k")); // null
 * ```
 */
export interface MemoryCacheOptions {
  /**
   * Most bytes kept (values plus keys, counting a key as its UTF-16 length × 2); expired
   * entries, then the least recently used, are evicted to stay below it. Default 64 MiB.
   */
  maxBytes?: number;
  /** TTL for `set()` calls that give none, in seconds (default: no expiry). */
  defaultTtlSeconds?: number;
  /** Clock in milliseconds, for tests (default `Date.now`). */
  now?: () => number;
}

interface Entry {
  value: Uint8Array;
  /** Absolute expiry in ms, or Infinity. */
  expiresAt: number;
  size: number;
}

/**
 * Default byte cap of {@link MemoryCache}: 64 MiB.
 *
 * @example Give the cache a quarter of the default
 * ```ts
 * import { MEMORY_CACHE_DEFAULT_MAX_BYTES, MemoryCache } from "@aoai/edge/middleware";
 * console.log(MEMORY_CACHE_DEFAULT_MAX_BYTES / 1024 / 1024); // 64
 * const cache = new MemoryCache({ maxBytes: MEMORY_CACHE_DEFAULT_MAX_BYTES / 4 }); // 16 MiB
 * await cache.set("greeting", new TextEncoder().encode("hello"));
 * console.log(cache.size); // 1
 * ```
 */
export const MEMORY_CACHE_DEFAULT_MAX_BYTES: number = 64 * 1024 * 1024;

/**
 * An in-process {@link CacheStore}: under a byte cap, expired entries are evicted first, then
 * the least recently used; TTL checked on read. Values are copied in and out, so callers cannot corrupt stored bytes. Good for one
 * isolate (tests, Deno Deploy, a Worker's warm instance); it is not shared between isolates.
 *
 * @example Cache bytes for a minute
 * ```ts
 * import { MemoryCache } from "@aoai/edge/middleware";
 * const cache = new MemoryCache({ maxBytes: 1024 * 1024 });
 * await cache.set("k", new Uint8Array([1, 2, 3]), { ttlSeconds: 60 });
 * console.log(await cache.get("k")); // Uint8Array(3) [ 1, 2, 3 ]
 * ```
 */
export class MemoryCache implements CacheStore {
  #entries = new Map<string, Entry>();
  #bytes = 0;
  /** No entry expires before this (ms): until then an eviction need not look for expired ones. */
  #nextExpiry = Infinity;
  #maxBytes: number;
  #defaultTtlSeconds: number | undefined;
  #now: () => number;

  /** Creates an empty cache; throws a TypeError for a bad `maxBytes` or TTL. */
  constructor(options: MemoryCacheOptions = {}) {
    const maxBytes = options.maxBytes ?? MEMORY_CACHE_DEFAULT_MAX_BYTES;
    if (typeof maxBytes !== "number" || !Number.isFinite(maxBytes) || maxBytes <= 0) {
      throw new TypeError("MemoryCache: maxBytes must be a positive number of bytes");
    }
    checkTtl(options.defaultTtlSeconds, "MemoryCache: defaultTtlSeconds");
    this.#maxBytes = maxBytes;
    this.#defaultTtlSeconds = options.defaultTtlSeconds;
    this.#now = options.now ?? Date.now;
  }

  /** Number of entries held (expired ones count until read or evicted). */
  get size(): number {
    return this.#entries.size;
  }

  /** Bytes held, as counted against `maxBytes`. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Reads a copy of a value; `null` when absent or expired. Marks it recently used. */
  get(key: string): Promise<Uint8Array | null> {
    return Promise.resolve(this.#read(key));
  }

  /** Reads many values in the order of `keys`. */
  getMany(keys: readonly string[]): Promise<(Uint8Array | null)[]> {
    return Promise.resolve(keys.map((key) => this.#read(key)));
  }

  /**
   * Stores a copy of `value`. A value larger than `maxBytes` is not stored (and any older value
   * under the key is dropped). `ttlSeconds: 0` or less stores nothing.
   */
  set(key: string, value: Uint8Array, options: CacheSetOptions = {}): Promise<void> {
    if (!(value instanceof Uint8Array)) {
      return Promise.reject(new TypeError("MemoryCache.set(): value must be a Uint8Array"));
    }
    const ttl = options.ttlSeconds ?? this.#defaultTtlSeconds;
    try {
      checkTtl(ttl, "MemoryCache.set(): ttlSeconds");
    } catch (err) {
      return Promise.reject(err);
    }
    this.#remove(key);
    const size = value.byteLength + key.length * 2;
    if (size > this.#maxBytes || (ttl !== undefined && ttl <= 0)) return Promise.resolve();
    const expiresAt = ttl === undefined ? Infinity : this.#now() + ttl * 1000;
    this.#entries.set(key, { value: value.slice(), expiresAt, size });
    this.#nextExpiry = Math.min(this.#nextExpiry, expiresAt);
    this.#bytes += size;
    this.#evict();
    return Promise.resolve();
  }

  /** Deletes a value (no error when absent). */
  delete(key: string): Promise<void> {
    this.#remove(key);
    return Promise.resolve();
  }

  /** Removes every entry. */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #read(key: string): Uint8Array | null {
    const entry = this.#entries.get(key);
    if (!entry) return null;
    if (this.#now() >= entry.expiresAt) {
      this.#remove(key);
      return null;
    }
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value.slice();
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.size;
  }

  #evict(): void {
    if (this.#bytes > this.#maxBytes && this.#now() >= this.#nextExpiry) {
      // Expired entries go first, in one pass that also finds the next expiry.
      const now = this.#now();
      this.#nextExpiry = Infinity;
      for (const [key, entry] of this.#entries) {
        if (now >= entry.expiresAt) this.#remove(key);
        else this.#nextExpiry = Math.min(this.#nextExpiry, entry.expiresAt);
      }
    }
    // Then the least recently used: the Map's first keys.
    for (const key of this.#entries.keys()) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#remove(key);
    }
  }
}

function checkTtl(ttl: unknown, where: string): void {
  if (ttl === undefined) return;
  if (typeof ttl !== "number" || Number.isNaN(ttl)) {
    throw new TypeError(`${where} must be a number of seconds`);
  }
}
