/**
 * {@link WorkersRateLimiter}: the edge app's per-client rate limit on the Cloudflare Workers Rate
 * Limiting binding.
 *
 * @module
 */
import type { RateLimitDecision, RateLimiter } from "./rate_limit.ts";

/**
 * The part of a Workers Rate Limiting binding (`[[ratelimits]]` in wrangler.toml) the app uses:
 * `limit({ key })` counts one request for `key` and says whether it is within the limit.
 *
 * @example A stand-in binding that allows two requests per key
 * ```ts
 * import { type WorkersRateLimitBinding, WorkersRateLimiter } from "@aoai/edge/edge";
 * const counts = new Map<string, number>();
 * const binding: WorkersRateLimitBinding = { // stands in for env.AOAI_EDGE_RATE_LIMITER
 *   limit({ key }) {
 *     counts.set(key, (counts.get(key) ?? 0) + 1);
 *     return Promise.resolve({ success: counts.get(key)! <= 2 });
 *   },
 * };
 * await new WorkersRateLimiter(binding).take("client-a");
 * console.log(counts); // Map(1) { "aoai-edge:client-a" => 1 }
 * ```
 */
export interface WorkersRateLimitBinding {
  /** Counts one request of `key`; `success` is false when the key is over its limit. */
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * Options of {@link WorkersRateLimiter}.
 *
 * @example A binding with a 10-second period
 * ```ts
 * import { WorkersRateLimiter, type WorkersRateLimiterOptions } from "@aoai/edge/edge";
 * const options: WorkersRateLimiterOptions = { periodSeconds: 10, keyPrefix: "chat:" };
 * const refuseAll = { limit: () => Promise.resolve({ success: false }) };
 * const limiter = new WorkersRateLimiter(refuseAll, options);
 * console.log(await limiter.take("client-a")); // { ok: false, retryAfterSeconds: 10 }
 * ```
 */
export interface WorkersRateLimiterOptions {
  /**
   * The binding's `simple.period` in seconds (10 or 60, default 60): the `retry-after` sent when
   * a request is refused (the binding does not say when its window ends).
   */
  periodSeconds?: 10 | 60;
  /** Prefix of the keys passed to the binding (default `"aoai-edge:"`). */
  keyPrefix?: string;
}

/**
 * A {@link RateLimiter} on the Workers Rate Limiting binding: the limit and period are those of
 * the binding (`[ratelimits.simple]` in wrangler.toml), counted by Cloudflare for every isolate
 * of the Worker in a Cloudflare location (not across locations), instead of once per isolate.
 * A binding that throws makes `take()` reject; the edge app then lets the request through and
 * reports it through `onError`.
 *
 * @example Wrap a binding (here a stand-in that allows everything)
 * ```ts
 * import { WorkersRateLimiter } from "@aoai/edge/edge";
 * const limiter = new WorkersRateLimiter({ limit: () => Promise.resolve({ success: true }) });
 * console.log(await limiter.take("0")); // { ok: true, retryAfterSeconds: 0 }
 * ```
 */
export class WorkersRateLimiter implements RateLimiter {
  #binding: WorkersRateLimitBinding;
  #period: number;
  #prefix: string;

  /** Throws a TypeError when `binding` has no `limit()` or the options are wrong. */
  constructor(binding: WorkersRateLimitBinding, options: WorkersRateLimiterOptions = {}) {
    if (
      typeof binding !== "object" || binding === null || typeof binding.limit !== "function"
    ) {
      throw new TypeError(
        "new WorkersRateLimiter(): pass a Workers Rate Limiting binding (env.<NAME> of a " +
          "[[ratelimits]] entry in wrangler.toml)",
      );
    }
    const period = options.periodSeconds ?? 60;
    if (period !== 10 && period !== 60) {
      throw new TypeError("new WorkersRateLimiter(): periodSeconds must be 10 or 60");
    }
    this.#binding = binding;
    this.#period = period;
    this.#prefix = options.keyPrefix ?? "aoai-edge:";
  }

  /** Asks the binding about one request of `client`; rejects when the binding fails. */
  async take(client: string): Promise<RateLimitDecision> {
    const outcome = await this.#binding.limit({ key: this.#prefix + client });
    if (typeof outcome?.success !== "boolean") {
      throw new TypeError("the Rate Limiting binding answered without a boolean `success`");
    }
    return outcome.success
      ? { ok: true, retryAfterSeconds: 0 }
      : { ok: false, retryAfterSeconds: this.#period };
  }
}
