/**
 * Per-client-key rate limiting of the edge app: the {@link RateLimiter} interface the app asks
 * on every request, and {@link ClientRateLimiter}, a token bucket per key kept in memory.
 *
 * @module
 */

/**
 * What a {@link RateLimiter} answers for one request.
 *
 * @example A limiter with a fixed budget per client
 * ```ts
 * import type { RateLimitDecision, RateLimiter } from "@aoai/edge/edge";
 * const used = new Map<string, number>();
 * const budget: RateLimiter = {
 *   take(client): RateLimitDecision {
 *     const n = (used.get(client) ?? 0) + 1;
 *     used.set(client, n);
 *     return n <= 1000
 *       ? { ok: true, retryAfterSeconds: 0, remaining: 1000 - n }
 *       : { ok: false, retryAfterSeconds: 3600 };
 *   },
 * };
 * console.log(await budget.take("client-a")); // { ok: true, retryAfterSeconds: 0, remaining: 999 }
 * ```
 */
export interface RateLimitDecision {
  /** True when the request may go ahead. */
  ok: boolean;
  /**
   * Seconds the client should wait before retrying (sent as `retry-after` when refused, rounded
   * up to whole seconds from 1 to 86400).
   */
  retryAfterSeconds: number;
  /** Requests left in the current budget, when the limiter knows. */
  remaining?: number;
}

/**
 * A per-client limiter the edge app asks once per authenticated request (`rateLimit.limiter`).
 * `client` is an opaque, stable id of the matched client key: 32 hex characters of a SHA-256 of
 * the key (`clientIdOf(key)`), never the key itself nor its position in the key list. A client
 * keeps its id when keys are reordered or removed and in every deployment with that key, so a
 * shared store (Deno KV) keeps its bucket. A refusal becomes 429 with `retry-after`; a limiter that throws
 * (or rejects) lets the request through and is reported through the app's `onError`.
 *
 * Implementations: {@link ClientRateLimiter} (this isolate's memory), `DenoKvRateLimiter`
 * (one budget across Deno Deploy isolates), `WorkersRateLimiter` (the Workers Rate Limiting
 * binding).
 *
 * @example A limiter that refuses everyone
 * ```ts
 * import type { RateLimiter } from "@aoai/edge/edge";
 * const closed: RateLimiter = { take: () => ({ ok: false, retryAfterSeconds: 60 }) };
 * console.log(await closed.take("0")); // { ok: false, retryAfterSeconds: 60 }
 * ```
 */
export interface RateLimiter {
  /** Counts one request of `client` and says whether it may go ahead. */
  take(client: string): RateLimitDecision | Promise<RateLimitDecision>;
  /** The limit, when it is a number of requests per minute (only used in the 429 message). */
  readonly requestsPerMinute?: number;
}

/**
 * Options of {@link ClientRateLimiter}.
 *
 * @example 30 requests a minute, on a fixed clock
 * ```ts
 * import { ClientRateLimiter, type ClientRateLimitOptions } from "@aoai/edge/edge";
 * const options: ClientRateLimitOptions = { requestsPerMinute: 30, now: () => 0 };
 * const limiter = new ClientRateLimiter(options);
 * console.log(limiter.requestsPerMinute, limiter.take("client-a").remaining); // 30 29
 * ```
 */
export interface ClientRateLimitOptions {
  /** Requests each client key may make per minute (bucket size; refills evenly). */
  requestsPerMinute: number;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * The outcome of {@link ClientRateLimiter.take}.
 *
 * @example The second request of a one-a-minute client is refused
 * ```ts
 * import { ClientRateLimiter, type RateDecision } from "@aoai/edge/edge";
 * const limiter = new ClientRateLimiter({ requestsPerMinute: 1, now: () => 0 });
 * limiter.take("client-a");
 * const decision: RateDecision = limiter.take("client-a");
 * console.log(decision); // { ok: false, remaining: 0, retryAfterSeconds: 60 }
 * ```
 */
export interface RateDecision extends RateLimitDecision {
  /** Whole requests left in the bucket after this one. */
  remaining: number;
  /** Seconds until one more request is allowed (0 when `ok`). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per client: `requestsPerMinute` requests in a burst, refilled evenly over a
 * minute. State lives in this isolate's memory (each Workers isolate / Deno Deploy instance
 * counts on its own). Clients are identified by an opaque id (the edge app passes
 * `clientIdOf(key)` of the matched key, never the key itself).
 *
 * @example Allow two requests a minute
 * ```ts
 * import { ClientRateLimiter } from "@aoai/edge/edge";
 * const limiter = new ClientRateLimiter({ requestsPerMinute: 2, now: () => 0 });
 * console.log(limiter.take("0").ok, limiter.take("0").ok, limiter.take("0")); // true true { ok: false, ... }
 * ```
 */
export class ClientRateLimiter implements RateLimiter {
  #rpm: number;
  #now: () => number;
  #buckets = new Map<string, Bucket>();

  /** Throws a TypeError when `requestsPerMinute` is not a positive number. */
  constructor(options: ClientRateLimitOptions) {
    const rpm = options?.requestsPerMinute;
    if (typeof rpm !== "number" || !(rpm > 0) || !Number.isFinite(rpm)) {
      throw new TypeError("rateLimit.requestsPerMinute must be a positive number, e.g. 60");
    }
    this.#rpm = rpm;
    this.#now = options.now ?? Date.now;
  }

  /** The configured requests per minute. */
  get requestsPerMinute(): number {
    return this.#rpm;
  }

  /** Takes one request from `client`'s bucket. */
  take(client: string): RateDecision {
    const now = this.#now();
    const perMs = this.#rpm / 60_000;
    // The bucket holds at least one request, or a limit under 1/minute would refuse every call.
    const size = Math.max(1, this.#rpm);
    const bucket = this.#buckets.get(client) ?? { tokens: size, at: now };
    bucket.tokens = Math.min(size, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    bucket.at = now;
    this.#buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
    }
    const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    return { ok: false, remaining: 0, retryAfterSeconds: wait };
  }
}
