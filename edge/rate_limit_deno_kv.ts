/**
 * {@link DenoKvRateLimiter}: the edge app's per-client rate limit counted in Deno KV, so every
 * isolate of a Deno Deploy project shares one budget.
 *
 * @module
 */
import type { RateLimitDecision, RateLimiter } from "./rate_limit.ts";

/** Options of {@link DenoKvRateLimiter}. */
export interface DenoKvRateLimiterOptions {
  /**
   * Requests each client may make per minute. A whole number `n` allows `n` requests per
   * 60-second window; a fraction is spread over a longer window (0.5: 1 request per 120 s,
   * 1.5: 2 per 80 s).
   */
  requestsPerMinute: number;
  /**
   * Key prefix of the counters (default `["aoai-edge-rate"]`); at most 1024 bytes as a Deno KV
   * key, leaving room for the client id and window under the 2 KiB key limit.
   */
  prefix?: readonly (string | number)[];
  /**
   * Reads and conditional writes one take may try when other requests of the same client
   * change the counter meanwhile (default 32). A take that loses every race is refused with
   * `retry-after: 1` rather than risk going over the limit.
   */
  maxAttempts?: number;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
}

const WHERE = "new DenoKvRateLimiter()";

/**
 * A fixed-window request counter per client in Deno KV: key `[...prefix, client, window]`,
 * value the number of requests counted in that window, written with an atomic check of the
 * entry's versionstamp (no two takes can both count the last request of a budget, whichever
 * isolate they run in) and `expireIn` set to the end of the window. Deno KV is strongly
 * consistent within its region, so on Deno Deploy this is one limit for the whole project
 * instead of one per isolate. As with any fixed window, a client may spend one window's budget
 * at its end and the next one's at the start of the next.
 *
 * A KV failure rejects `take()`; the edge app then lets the request through and reports the
 * failure through `onError` (fail open: a KV outage does not take the API down with it).
 *
 * The caller owns the `Deno.Kv` handle and closes it.
 *
 * @example Two limiters on one KV share one budget
 * ```ts
 * import { DenoKvRateLimiter } from "@aoai/edge/edge";
 * const kv = await Deno.openKv(":memory:");
 * const a = new DenoKvRateLimiter(kv, { requestsPerMinute: 1, now: () => 0 });
 * const b = new DenoKvRateLimiter(kv, { requestsPerMinute: 1, now: () => 0 });
 * console.log((await a.take("0")).ok, (await b.take("0")).ok); // true false
 * kv.close();
 * ```
 */
export class DenoKvRateLimiter implements RateLimiter {
  #kv: Deno.Kv;
  #rpm: number;
  #limit: number;
  #windowMs: number;
  #prefix: (string | number)[];
  #maxAttempts: number;
  #now: () => number;

  /** Wraps an open `Deno.Kv`; throws a TypeError when the options are wrong. */
  constructor(kv: Deno.Kv, options: DenoKvRateLimiterOptions) {
    if (typeof kv !== "object" || kv === null || typeof kv.atomic !== "function") {
      throw new TypeError(`${WHERE}: pass an open Deno.Kv, e.g. await Deno.openKv()`);
    }
    const rpm = options?.requestsPerMinute;
    if (typeof rpm !== "number" || !(rpm > 0) || !Number.isFinite(rpm)) {
      throw new TypeError(`${WHERE}: requestsPerMinute must be a positive number`);
    }
    // Windows stay within a day: longer ones would outlive what expireIn takes, so every take
    // would fail (and the app let everything through).
    if (rpm < 1 / 1440) {
      throw new TypeError(
        `${WHERE}: requestsPerMinute must be at least one request a day (1/1440); got ${rpm}`,
      );
    }
    const prefix = options.prefix ?? ["aoai-edge-rate"];
    if (!Array.isArray(prefix) || prefix.some((p) => !["string", "number"].includes(typeof p))) {
      throw new TypeError(`${WHERE}: prefix must be an array of strings and numbers`);
    }
    // Its size as Deno KV encodes it (a string: tag, UTF-8 with 0x00 doubled, end; a number: 9
    // bytes). A key over 2 KiB fails every take, and a failing limiter lets everything through.
    const size = prefix.reduce((sum: number, part) => {
      if (typeof part === "number") return sum + 9;
      const bytes = new TextEncoder().encode(part);
      return sum + bytes.length + bytes.filter((b) => b === 0).length + 2;
    }, 0);
    if (size > 1024) {
      throw new TypeError(
        `${WHERE}: prefix must be at most 1024 bytes as a Deno KV key (keys are limited to ` +
          `2 KiB); this one is ${size}, use a short name like ["aoai-edge-rate"]`,
      );
    }
    const attempts = options.maxAttempts ?? 32;
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new TypeError(`${WHERE}: maxAttempts must be a positive integer`);
    }
    this.#kv = kv;
    this.#rpm = rpm;
    this.#limit = Math.ceil(rpm);
    this.#windowMs = Math.round(60_000 * this.#limit / rpm);
    this.#prefix = [...prefix];
    this.#maxAttempts = attempts;
    this.#now = options.now ?? Date.now;
  }

  /** The configured requests per minute. */
  get requestsPerMinute(): number {
    return this.#rpm;
  }

  /** Counts one request of `client` in the current window; rejects when Deno KV fails. */
  async take(client: string): Promise<RateLimitDecision> {
    const now = this.#now();
    const window = Math.floor(now / this.#windowMs);
    const left = (window + 1) * this.#windowMs - now;
    const key = [...this.#prefix, client, window];
    for (let attempt = 0; attempt < this.#maxAttempts; attempt++) {
      const entry = await this.#kv.get<number>(key);
      const count = typeof entry.value === "number" ? entry.value : 0;
      if (count >= this.#limit) {
        return { ok: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)) };
      }
      const committed = await this.#kv.atomic().check(entry)
        .set(key, count + 1, { expireIn: Math.max(1, Math.ceil(left)) }).commit();
      if (committed.ok) {
        return { ok: true, remaining: this.#limit - count - 1, retryAfterSeconds: 0 };
      }
    }
    return { ok: false, remaining: 0, retryAfterSeconds: 1 };
  }
}
