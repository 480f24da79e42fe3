import type { CacheSetOptions, CacheStore } from "../../src/cache/types.ts";
import { kvKeyBytes } from "../_kv_key.ts";

/** Bytes stored inline in the record entry, or per chunk entry (Deno KV caps values at 64 KiB). */
const CHUNK_BYTES = 60 * 1024;
/** Deno KV caps `getMany` at 10 keys per call. */
const GET_MANY_LIMIT = 10;
/** Deno KV caps keys at 2 KiB; leave room for the prefix parts and the tuple encoding. */
const MAX_KEY_BYTES = 1800;
const DEFAULT_MAX_VALUE_BYTES = 8 * 1024 * 1024;
/** Largest `maxValueBytes` taken (1 GiB: 17,477 chunks; a value is held in memory whole). */
const MAX_MAX_VALUE_BYTES = 2 ** 30;
/**
 * Longest `expireIn` sent (~31,700 years): Deno KV refuses one that ends past its last date
 * (~8.2e15 ms after 1970); longer TTLs get no KV expiry, the stored one still holds.
 */
const MAX_EXPIRE_IN_MS = 1e15;

/**
 * Options of {@link DenoKvCache}.
 *
 * @example A cache under its own prefix, with a clock you control
 * ```ts
 * import { DenoKvCache, type DenoKvCacheOptions } from "@aoai/edge/edge";
 * const kv = await Deno.openKv(":memory:");
 * let now = 0;
 * const options: DenoKvCacheOptions = { prefix: ["my-app", "cache"], now: () => now };
 * const cache = new DenoKvCache(kv, options);
 * await cache.set("k", new Uint8Array([1, 2]), { ttlSeconds: 60 });
 * console.log(await cache.get("k")); // Uint8Array(2) [ 1, 2 ]
 * now = 61_000; // past the TTL: expiry is checked on read
 * console.log(await cache.get("k")); // null
 * kv.close();
 * ```
 */
export interface DenoKvCacheOptions {
  /** Key prefix under which every entry lives (default `["aoai-cache"]`). */
  prefix?: readonly (string | number)[];
  /**
   * Largest value accepted, in bytes (default 8 MiB). Values over 60 KiB are split into chunks
   * of 60 KiB under the entry's prefix; larger values than this are refused with a RangeError.
   * At most 1 GiB (1073741824).
   */
  maxValueBytes?: number;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
}

/** The record entry of one cached value. */
interface KvRecord {
  /** Expiry in epoch ms; 0 means no expiry. */
  e: number;
  /** The value itself when it fits in one entry. */
  v?: Uint8Array;
  /** Chunk count and chunk generation id when the value was split. */
  n?: number;
  id?: string;
  /** Total size in bytes. */
  s: number;
}

/**
 * True for a record as `set()` writes it, of at most `max` bytes (anything else, corrupt or
 * foreign, reads as absent).
 */
function isRecord(value: unknown, max: number): value is KvRecord {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  const s = r.s as number;
  if (typeof r.e !== "number" || !Number.isSafeInteger(s) || s < 0 || s > max) return false;
  if (r.v instanceof Uint8Array) return r.v.byteLength === s;
  // The id goes into the chunk keys: one longer than set()'s UUIDs could overflow a KV key.
  return typeof r.id === "string" && /^[\w-]{1,36}$/.test(r.id) &&
    r.n === Math.ceil(s / CHUNK_BYTES);
}

/**
 * A {@link CacheStore} on Deno KV (`Deno.openKv()`), for `deno task serve` and Deno Deploy.
 *
 * - Values up to 60 KiB live in one entry; bigger ones (up to `maxValueBytes`, default 8 MiB)
 *   are split into 60 KiB chunks under the entry's key and an id of their own write, written
 *   before the record that names them, so a reader never sees a half-written value or a mix of
 *   two writes (chunks deleted under it read as a miss).
 * - `set()` and `delete()` commit only if the record is still the one they read (compare-and-set)
 *   and then delete the chunks of the record they replaced. When another `set()` or `delete()` of
 *   the key commits in between, that one stays and this one is dropped (a `set()` with its
 *   chunks): overlapping writes leave no chunks behind.
 * - Expiry is stored with the value and checked on every read: Deno KV's `expireIn` only
 *   promises that an entry is deleted *some time after* it expired. A TTL over ~31,700 years,
 *   past Deno KV's last date, is stored without `expireIn`.
 * - `getMany` reads at most 10 keys per KV call (the KV limit), batches running in parallel.
 * - Keys over ~1.8 KiB (as Deno KV encodes them: UTF-8, a NUL taking two bytes) are refused with
 *   a RangeError (Deno KV keys are capped at 2 KiB);
 *   the cache middleware uses short hashed keys.
 *
 * The caller owns the `Deno.Kv` handle and closes it.
 *
 * @example Cache bytes in an in-memory Deno KV
 * ```ts
 * import { DenoKvCache } from "@aoai/edge/edge";
 * const kv = await Deno.openKv(":memory:");
 * const cache = new DenoKvCache(kv);
 * await cache.set("k", new Uint8Array([1, 2, 3]), { ttlSeconds: 60 });
 * console.log(await cache.get("k")); // Uint8Array(3) [ 1, 2, 3 ]
 * kv.close();
 * ```
 */
export class DenoKvCache implements CacheStore {
  #kv: Deno.Kv;
  #prefix: (string | number)[];
  #maxValueBytes: number;
  #now: () => number;

  /** Wraps an open `Deno.Kv`; throws a TypeError when the options are wrong. */
  constructor(kv: Deno.Kv, options: DenoKvCacheOptions = {}) {
    if (typeof kv !== "object" || kv === null || typeof kv.get !== "function") {
      throw new TypeError("DenoKvCache: pass an open Deno.Kv, e.g. await Deno.openKv()");
    }
    const prefix = options.prefix ?? ["aoai-cache"];
    if (
      !Array.isArray(prefix) || prefix.some((p) => typeof p !== "string" && typeof p !== "number")
    ) {
      throw new TypeError(
        'DenoKvCache: prefix must be an array of strings or numbers, e.g. ["cache"]',
      );
    }
    // Keys are [...prefix, key, chunk id, index] within Deno KV's 2048 bytes (the chunk suffix
    // takes 38 + 9).
    const prefixBytes = kvKeyBytes(prefix);
    if (prefixBytes + MAX_KEY_BYTES >= 2_000) {
      throw new TypeError(
        `DenoKvCache: prefix takes ${prefixBytes} bytes; keep it under ${
          2_000 - MAX_KEY_BYTES
        } (Deno KV keys are capped at 2 KiB and need room for the cache keys)`,
      );
    }
    const max = options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
    if (!Number.isInteger(max) || max <= 0 || max > MAX_MAX_VALUE_BYTES) {
      throw new TypeError(
        `DenoKvCache: maxValueBytes must be a positive integer of at most ${MAX_MAX_VALUE_BYTES} ` +
          "(1 GiB)",
      );
    }
    this.#kv = kv;
    this.#prefix = [...prefix];
    this.#maxValueBytes = max;
    this.#now = options.now ?? Date.now;
  }

  #key(key: string): Deno.KvKey {
    if (typeof key !== "string" || key === "") {
      throw new TypeError("DenoKvCache: keys must be non-empty strings");
    }
    // As Deno KV encodes it: UTF-8, each NUL doubled, plus 2 tuple bytes.
    if (kvKeyBytes([key]) > MAX_KEY_BYTES + 2) {
      throw new RangeError(
        `DenoKvCache: key is longer than ${MAX_KEY_BYTES} bytes (Deno KV keys are capped at ` +
          "2 KiB); hash long keys before caching",
      );
    }
    return [...this.#prefix, key];
  }

  #chunkKey(key: string, id: string, index: number): Deno.KvKey {
    return [...this.#prefix, key, id, index];
  }

  /** Reads a value; `null` when absent or expired. */
  async get(key: string): Promise<Uint8Array | null> {
    const entry = await this.#kv.get(this.#key(key));
    return await this.#resolve(key, entry.value);
  }

  /** Reads many values in order, 10 keys per KV call. */
  async getMany(keys: readonly string[]): Promise<(Uint8Array | null)[]> {
    const kvKeys = keys.map((k) => this.#key(k));
    const batches: Deno.KvKey[][] = [];
    for (let i = 0; i < kvKeys.length; i += GET_MANY_LIMIT) {
      batches.push(kvKeys.slice(i, i + GET_MANY_LIMIT));
    }
    const results = await Promise.all(batches.map((batch) => this.#kv.getMany(batch)));
    const entries = results.flat();
    return await Promise.all(entries.map((entry, i) => this.#resolve(keys[i], entry.value)));
  }

  async #resolve(key: string, value: unknown): Promise<Uint8Array | null> {
    if (!isRecord(value, this.#maxValueBytes)) return null;
    // Expired, or no number of ms (NaN: corrupt) rather than "never expires".
    if (!(value.e === 0 || value.e > this.#now())) return null;
    if (value.v) return value.v;
    const id = value.id as string;
    const count = value.n as number;
    const batch = (from: number) => {
      const keys: Deno.KvKey[] = [];
      for (let i = from; i < Math.min(count, from + GET_MANY_LIMIT); i++) {
        keys.push(this.#chunkKey(key, id, i));
      }
      return this.#kv.getMany(keys);
    };
    // The first batch alone: a record whose chunks are gone (deleted, expired, corrupt) costs one
    // read, not one per 10 chunks it claims.
    const first = await batch(0);
    if (!first.every((chunk) => chunk.value instanceof Uint8Array)) return null;
    const rest: Promise<Deno.KvEntryMaybe<unknown>[]>[] = [];
    for (let i = GET_MANY_LIMIT; i < count; i += GET_MANY_LIMIT) rest.push(batch(i));
    const chunks = [...first, ...(await Promise.all(rest)).flat()];
    const out = new Uint8Array(value.s);
    let offset = 0;
    for (const chunk of chunks) {
      // A chunk expired or was deleted under us: treat the value as absent.
      if (!(chunk.value instanceof Uint8Array)) return null;
      if (offset + chunk.value.byteLength > out.byteLength) return null;
      out.set(chunk.value, offset);
      offset += chunk.value.byteLength;
    }
    return offset === value.s ? out : null;
  }

  /** Writes a value (split into chunks over 60 KiB); RangeError over `maxValueBytes`. */
  async set(key: string, value: Uint8Array, options: CacheSetOptions = {}): Promise<void> {
    const kvKey = this.#key(key);
    if (!(value instanceof Uint8Array)) {
      throw new TypeError("DenoKvCache: values must be Uint8Array bytes");
    }
    if (value.byteLength > this.#maxValueBytes) {
      throw new RangeError(
        `DenoKvCache: value of ${value.byteLength} bytes is over maxValueBytes ` +
          `(${this.#maxValueBytes}); raise maxValueBytes or cache smaller values`,
      );
    }
    const ttl = options.ttlSeconds;
    if (ttl !== undefined && (typeof ttl !== "number" || !(ttl > 0))) {
      throw new TypeError("DenoKvCache: ttlSeconds must be a positive number of seconds");
    }
    // Infinity: no expiry (Deno KV refuses a non-integer expireIn).
    const expireIn = ttl === undefined || ttl === Infinity ? undefined : Math.ceil(ttl * 1000);
    const setOptions = expireIn === undefined || expireIn > MAX_EXPIRE_IN_MS
      ? undefined
      : { expireIn };
    const e = expireIn === undefined ? 0 : this.#now() + expireIn;
    let record: KvRecord;
    if (value.byteLength <= CHUNK_BYTES) {
      record = { e, v: value.slice(), s: value.byteLength };
    } else {
      const id = crypto.randomUUID();
      const writes: Promise<unknown>[] = [];
      let n = 0;
      for (let offset = 0; offset < value.byteLength; offset += CHUNK_BYTES, n++) {
        const part = value.slice(offset, offset + CHUNK_BYTES);
        writes.push(this.#kv.set(this.#chunkKey(key, id, n), part, setOptions));
      }
      await Promise.all(writes);
      record = { e, n, id, s: value.byteLength };
    }
    const previous = await this.#kv.get(kvKey);
    const { ok } = await this.#kv.atomic().check(previous).set(kvKey, record, setOptions).commit();
    // Not ok: another write of the key committed since `previous` was read. It stays (this write
    // is ordered just before it) and deletes the chunks of `previous`; these chunks go here.
    await this.#deleteChunks(key, ok ? previous.value : record);
  }

  /** Deletes a value and its chunks (no error when absent). */
  async delete(key: string): Promise<void> {
    const kvKey = this.#key(key);
    const previous = await this.#kv.get(kvKey);
    if (previous.versionstamp === null) return;
    // Not ok: a write committed since `previous` was read; it stays and deletes these chunks.
    const { ok } = await this.#kv.atomic().check(previous).delete(kvKey).commit();
    if (ok) await this.#deleteChunks(key, previous.value);
  }

  async #deleteChunks(key: string, value: unknown): Promise<void> {
    if (!isRecord(value, this.#maxValueBytes) || value.id === undefined || value.n === undefined) {
      return;
    }
    const deletes: Promise<void>[] = [];
    for (let i = 0; i < value.n; i++) {
      deletes.push(this.#kv.delete(this.#chunkKey(key, value.id, i)));
    }
    await Promise.all(deletes);
  }
}
