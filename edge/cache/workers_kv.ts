import type { CacheSetOptions, CacheStore } from "../../src/cache/types.ts";

/**
 * The part of a Cloudflare Workers KV namespace binding that {@link WorkersKvCache} uses. The real
 * `KVNamespace` of `@cloudflare/workers-types` fits it structurally.
 *
 * @example A Map-backed stand-in for a binding, e.g. in tests
 * ```ts
 * import { WorkersKvCache, type WorkersKvNamespace } from "@aoai/edge/edge";
 * const data = new Map<string, ArrayBuffer>();
 * const kv: WorkersKvNamespace = {
 *   get: (key) => Promise.resolve(data.get(key) ?? null),
 *   put: (key, value) => Promise.resolve(void data.set(key, new Uint8Array(value).slice().buffer)),
 *   delete: (key) => Promise.resolve(void data.delete(key)),
 * };
 * await new WorkersKvCache(kv).set("emb:1", new Uint8Array([1]));
 * console.log([...data.keys()]); // [ "aoai-cache:emb:1" ]
 * ```
 */
export interface WorkersKvNamespace {
  /** Reads a value as bytes; `null` when absent. */
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  /** Writes a value; `expirationTtl` is in seconds and must be at least 60. */
  put(key: string, value: ArrayBuffer | Uint8Array, options?: { expirationTtl?: number }): Promise<
    void
  >;
  /** Deletes a value. */
  delete(key: string): Promise<void>;
}

/**
 * Options of {@link WorkersKvCache}.
 *
 * @example Own key prefix and a smaller operations budget
 * ```ts
 * import { WorkersKvCache, type WorkersKvCacheOptions } from "@aoai/edge/edge";
 * const options: WorkersKvCacheOptions = { prefix: "emb:", maxOperationsPerRequest: 50 };
 * const cache = new WorkersKvCache({ // stands in for env.AOAI_CACHE
 *   get: () => Promise.resolve(null),
 *   put: () => Promise.resolve(),
 *   delete: () => Promise.resolve(),
 * }, options);
 * console.log(cache.maxOperationsPerRequest); // 50
 * ```
 */
export interface WorkersKvCacheOptions {
  /**
   * Prefix of every key (default `"aoai-cache:"`), at most 433 bytes UTF-8: Workers KV keys are
   * at most 512, and the app's longest key takes 79 after it.
   */
  prefix?: string;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
  /**
   * KV operations one Worker invocation may make, a positive integer (default 1,000, Cloudflare's
   * per-invocation limit); `cache()` keeps larger embeddings batches out of the cache instead of
   * failing.
   */
  maxOperationsPerRequest?: number;
  /**
   * Bytes (key + value) of recently written values this isolate keeps in memory (default 4 MiB;
   * 0 turns it off). KV may miss a key for up to 60 s after its `put()`; `get()` serves what this
   * isolate wrote in that time (never past the value's own TTL), and `set()` skips rewriting
   * identical bytes (KV refuses a second write of a key within a second with a 429).
   */
  recentBytes?: number;
}

/**
 * Workers KV refuses `expirationTtl` under 60 seconds.
 *
 * @example The `expirationTtl` a 10-second TTL is sent with
 * ```ts
 * import { WORKERS_KV_MIN_TTL_SECONDS } from "@aoai/edge/edge";
 * const ttlSeconds = 10;
 * console.log(Math.max(WORKERS_KV_MIN_TTL_SECONDS, ttlSeconds)); // 60
 * ```
 */
export const WORKERS_KV_MIN_TTL_SECONDS = 60;
/**
 * Workers KV caps keys at 512 bytes.
 *
 * @example Check that a prefixed key fits
 * ```ts
 * import { WORKERS_KV_MAX_KEY_BYTES } from "@aoai/edge/edge";
 * const key = "aoai-cache:" + "e".repeat(64); // prefix + a SHA-256 in hex
 * console.log(new TextEncoder().encode(key).byteLength <= WORKERS_KV_MAX_KEY_BYTES); // true
 * ```
 */
export const WORKERS_KV_MAX_KEY_BYTES = 512;
/**
 * Workers KV caps values at 25 MiB; our 9-byte header counts.
 *
 * @example Skip values the cache would refuse
 * ```ts
 * import { WORKERS_KV_MAX_VALUE_BYTES } from "@aoai/edge/edge";
 * const value = new Uint8Array(26 * 1024 * 1024);
 * console.log(WORKERS_KV_MAX_VALUE_BYTES); // 26214391
 * console.log(value.byteLength <= WORKERS_KV_MAX_VALUE_BYTES); // false
 * ```
 */
export const WORKERS_KV_MAX_VALUE_BYTES = 25 * 1024 * 1024 - 9;

/**
 * Bytes of the longest key the app's caches write: `aoai:emb-model:` and a SHA-256 in hex (see
 * src/middleware/_embeddings_cache.ts; `aoai:emb:` and `aoai:chat:` keys are shorter).
 */
const APP_KEY_BYTES = 15 + 64;
/** The longest prefix that leaves room for the app's keys. */
const MAX_PREFIX_BYTES = WORKERS_KV_MAX_KEY_BYTES - APP_KEY_BYTES;
/** workerd takes `expirationTtl` as a 32-bit int (~68 years); longer TTLs are kept by the header. */
const MAX_TTL_SECONDS = 2_147_483_647;
const FORMAT = 0xa1;
const HEADER_BYTES = 9;
const encoder = new TextEncoder();
/** How long a KV write may take to be seen everywhere (and in the same location): 60 s. */
const PROPAGATION_MS = 60_000;
/** Workers KV takes one write a second per key. */
const WRITE_INTERVAL_MS = 1_000;

/** A value this isolate wrote (or is writing), by prefixed key. */
interface Recent {
  /** The value's bytes (a private copy). */
  value: Uint8Array;
  /** The TTL it was written with (0: none). */
  ttl: number;
  /** When its `put` settled, or started while `pending`. */
  at: number;
  /**
   * Served until then: 60 s after the put settled (or started, while it is under way: a put that
   * hangs is not waited for longer), or the value's expiry when sooner.
   */
  until: number;
  /** Stored expiry in ms (0: none). */
  expiresAt: number;
  /** Key + value bytes, as counted against `recentBytes`. */
  bytes: number;
  /** The `put` still under way. */
  pending?: Promise<void>;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A {@link CacheStore} on a Cloudflare Workers KV namespace binding.
 *
 * - TTL: Workers KV refuses `expirationTtl` below 60 s, so shorter TTLs are sent as 60 s; the
 *   real expiry is stored in a 9-byte header before the value and checked on every read, so a
 *   value is never served after its TTL even though KV may keep it up to 60 s (or, being
 *   eventually consistent, a little longer). A TTL over 2^31 - 1 s (~68 years), which workerd
 *   refuses, is sent without `expirationTtl`.
 * - Keys (prefix included) over 512 bytes UTF-8 and values over 25 MiB are refused with a
 *   RangeError that says so; a prefix over 433 bytes, which leaves no room for the app's keys,
 *   with a TypeError when the cache is made.
 * - Writes are plain `put`s: on Workers, run them inside `ctx.waitUntil` (the edge app does).
 * - Read-after-write: KV may miss a key for up to 60 s after its `put()`, even in the same
 *   location. Values this isolate wrote are kept in memory (`recentBytes`, default 4 MiB of keys
 *   and values, least recently used dropped first) for 60 s, or until their expiry when sooner,
 *   and `get()` serves them before asking KV; `delete()` drops them. A `set()` of the same bytes
 *   as a write under a second ago, or as one still kept with the same TTL, sends no `put` (KV
 *   would refuse the second write of a key within a second, 429): that entry keeps the expiry
 *   of the first write.
 *
 * @example Cache bytes in a KV binding
 * ```ts
 * import { WorkersKvCache, type WorkersKvNamespace } from "@aoai/edge/edge";
 * const data = new Map<string, ArrayBuffer>();
 * const binding: WorkersKvNamespace = { // stands in for env.AOAI_CACHE
 *   get: (k) => Promise.resolve(data.get(k) ?? null),
 *   put: (k, v) => {
 *     data.set(k, new Uint8Array(v).slice().buffer);
 *     return Promise.resolve();
 *   },
 *   delete: (k) => Promise.resolve(void data.delete(k)),
 * };
 * const cache = new WorkersKvCache(binding);
 * await cache.set("k", new Uint8Array([7]), { ttlSeconds: 10 }); // KV sees expirationTtl: 60
 * console.log(await cache.get("k")); // Uint8Array(1) [ 7 ]
 * ```
 */
export class WorkersKvCache implements CacheStore {
  /** KV operations one invocation may make; read by `cache()`. */
  readonly maxOperationsPerRequest: number;
  #kv: WorkersKvNamespace;
  #prefix: string;
  #now: () => number;
  #recentLimit: number;
  #recent = new Map<string, Recent>();
  #recentTotal = 0;

  /** Wraps a KV namespace binding (e.g. `env.AOAI_CACHE`). */
  constructor(namespace: WorkersKvNamespace, options: WorkersKvCacheOptions = {}) {
    if (
      typeof namespace !== "object" || namespace === null || typeof namespace.get !== "function" ||
      typeof namespace.put !== "function" || typeof namespace.delete !== "function"
    ) {
      throw new TypeError(
        "WorkersKvCache: pass a KV namespace binding (e.g. env.AOAI_CACHE); bind one in " +
          "wrangler.toml under [[kv_namespaces]]",
      );
    }
    const prefix = options.prefix ?? "aoai-cache:";
    if (typeof prefix !== "string") throw new TypeError("WorkersKvCache: prefix must be a string");
    // Else every get and set throws, reported per request as a store failure.
    const bytes = encoder.encode(prefix).byteLength;
    if (bytes > MAX_PREFIX_BYTES) {
      throw new TypeError(
        `WorkersKvCache: prefix is ${bytes} bytes; keep it at most ${MAX_PREFIX_BYTES} bytes ` +
          `(UTF-8): Workers KV keys are at most ${WORKERS_KV_MAX_KEY_BYTES} bytes, and the app's ` +
          `longest key after the prefix takes ${APP_KEY_BYTES}`,
      );
    }
    this.#kv = namespace;
    this.#prefix = prefix;
    this.#now = options.now ?? Date.now;
    const ops = this.maxOperationsPerRequest = options.maxOperationsPerRequest ?? 1_000;
    // cache() reads anything but a positive number as "no limit".
    if (!Number.isInteger(ops) || ops < 1) {
      throw new TypeError("WorkersKvCache: maxOperationsPerRequest must be a positive integer");
    }
    const recent = options.recentBytes ?? 4 * 1024 * 1024;
    if (typeof recent !== "number" || !(recent >= 0)) {
      throw new TypeError("WorkersKvCache: recentBytes must be a number of bytes, 0 or more");
    }
    this.#recentLimit = Math.floor(recent);
  }

  #forget(full: string, entry = this.#recent.get(full)): void {
    if (entry && this.#recent.get(full) === entry) {
      this.#recent.delete(full);
      this.#recentTotal -= entry.bytes;
    }
  }

  /** The kept entry of a key, if still within its window (dropped otherwise). */
  #live(full: string): Recent | undefined {
    const entry = this.#recent.get(full);
    if (entry && this.#now() >= entry.until) {
      this.#forget(full, entry);
      return undefined;
    }
    return entry;
  }

  #key(key: string): string {
    if (typeof key !== "string" || key === "") {
      throw new TypeError("WorkersKvCache: keys must be non-empty strings");
    }
    const full = this.#prefix + key;
    if (encoder.encode(full).byteLength > WORKERS_KV_MAX_KEY_BYTES) {
      throw new RangeError(
        `WorkersKvCache: key (with prefix) is longer than ${WORKERS_KV_MAX_KEY_BYTES} bytes, ` +
          "the Workers KV limit; hash long keys or shorten the prefix",
      );
    }
    return full;
  }

  /** Reads a value; `null` when absent, expired or not written by this class. */
  async get(key: string): Promise<Uint8Array | null> {
    const full = this.#key(key);
    const entry = this.#live(full);
    if (entry && (entry.expiresAt === 0 || entry.expiresAt > this.#now())) {
      // Most recently used last: eviction takes the oldest first.
      this.#recent.delete(full);
      this.#recent.set(full, entry);
      return entry.value.slice();
    }
    const raw = await this.#kv.get(full, "arrayBuffer");
    if (raw === null || raw.byteLength < HEADER_BYTES) return null;
    const view = new DataView(raw);
    if (view.getUint8(0) !== FORMAT) return null;
    const expiresAt = view.getFloat64(1, true);
    // Expired, or no number of ms (NaN: corrupt) rather than "never expires".
    if (!(expiresAt === 0 || expiresAt > this.#now())) return null;
    return new Uint8Array(raw, HEADER_BYTES);
  }

  /** Reads many values in order (parallel `get`s: Workers KV has no batch read on this type). */
  getMany(keys: readonly string[]): Promise<(Uint8Array | null)[]> {
    return Promise.all(keys.map((k) => this.get(k)));
  }

  /** Writes a value; TTLs under 60 s are sent to KV as 60 s and enforced on read. */
  async set(key: string, value: Uint8Array, options: CacheSetOptions = {}): Promise<void> {
    const full = this.#key(key);
    if (!(value instanceof Uint8Array)) {
      throw new TypeError("WorkersKvCache: values must be Uint8Array bytes");
    }
    if (value.byteLength > WORKERS_KV_MAX_VALUE_BYTES) {
      throw new RangeError(
        `WorkersKvCache: value of ${value.byteLength} bytes is over the Workers KV limit ` +
          "(25 MiB); cache smaller values",
      );
    }
    const ttl = options.ttlSeconds;
    if (ttl !== undefined && (typeof ttl !== "number" || !(ttl > 0))) {
      throw new TypeError("WorkersKvCache: ttlSeconds must be a positive number of seconds");
    }
    // Infinity: no expiry (KV refuses a non-integer expirationTtl).
    const forever = ttl === undefined || ttl === Infinity;
    const kvTtl = forever ? 0 : Math.max(WORKERS_KV_MIN_TTL_SECONDS, Math.ceil(ttl));
    const now = this.#now();
    const expiresAt = forever ? 0 : now + ttl * 1000;
    const out = new Uint8Array(HEADER_BYTES + value.byteLength);
    const view = new DataView(out.buffer);
    view.setUint8(0, FORMAT);
    view.setFloat64(1, expiresAt, true);
    out.set(value, HEADER_BYTES);
    // Over workerd's range (a put that always throws): no KV expiry; the header's still holds.
    const putOptions = forever || kvTtl > MAX_TTL_SECONDS ? undefined : { expirationTtl: kvTtl };
    if (this.#recentLimit === 0) return await this.#kv.put(full, out, putOptions);

    const ttlKept = forever ? 0 : ttl;
    const last = this.#live(full);
    if (
      last && sameBytes(last.value, value) &&
      (last.pending || now - last.at < WRITE_INTERVAL_MS || last.ttl === ttlKept)
    ) {
      // Written (or being written) already: a second put would be refused (429), or only move the
      // expiry by the time since the first write.
      return await last.pending;
    }
    this.#forget(full);
    const bytes = encoder.encode(full).byteLength + value.byteLength;
    if (bytes > this.#recentLimit) return await this.#kv.put(full, out, putOptions);
    const entry: Recent = {
      value: value.slice(),
      ttl: ttlKept,
      at: now,
      until: Math.min(now + PROPAGATION_MS, expiresAt || Infinity),
      expiresAt,
      bytes,
    };
    this.#recent.set(full, entry);
    this.#recentTotal += bytes;
    for (const [k, old] of this.#recent) {
      if (this.#recentTotal <= this.#recentLimit) break;
      this.#forget(k, old);
    }
    let put: Promise<void>;
    try {
      put = this.#kv.put(full, out, putOptions);
    } catch (error) {
      this.#forget(full, entry);
      throw error;
    }
    entry.pending = put.then(() => {
      const at = this.#now();
      entry.at = at;
      entry.until = Math.min(at + PROPAGATION_MS, expiresAt || Infinity);
      entry.pending = undefined;
    }, (error) => {
      // Not written: nothing to serve, and the next set() tries again.
      this.#forget(full, entry);
      throw error;
    });
    await entry.pending;
  }

  /** Deletes a value (no error when absent). */
  async delete(key: string): Promise<void> {
    const full = this.#key(key);
    this.#forget(full);
    await this.#kv.delete(full);
  }
}
