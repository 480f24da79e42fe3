/**
 * {@link DenoKvRateLimiter}: the edge app's per-client rate limit counted in Deno KV, so every
 * isolate of a Deno Deploy project shares one budget.
 *
 * @module
 */
import type { RateLimitDecision, RateLimiter } from "./rate_limit.ts";
import { kvBusy, kvFullAt, kvKeyBytes, kvPause, kvStale } from "./_kv_key.ts";

/**
 * Options of {@link DenoKvRateLimiter}.
 *
 * @example Two requests a minute, under your own key prefix
 * ```ts
 * import { DenoKvRateLimiter, type DenoKvRateLimiterOptions } from "@aoai/edge/edge";
 * const kv = await Deno.openKv(":memory:");
 * const options: DenoKvRateLimiterOptions = {
 *   requestsPerMinute: 2,
 *   prefix: ["my-app", "rate"],
 *   now: () => 0,
 * };
 * const limiter = new DenoKvRateLimiter(kv, options);
 * const oks = [];
 * for (let i = 0; i < 3; i++) oks.push((await limiter.take("client-a")).ok);
 * console.log(oks); // [ true, true, false ]
 * console.log((await kv.get(["my-app", "rate", "client-a"])).value !== null); // true
 * kv.close();
 * ```
 */
export interface DenoKvRateLimiterOptions {
  /**
   * Requests each client may make per minute: a burst of that many (at least 1), refilled evenly
   * (one every `60 / requestsPerMinute` seconds), as `ClientRateLimiter` counts them in
   * memory. At least one a day (1/1440).
   */
  requestsPerMinute: number;
  /**
   * Key prefix of the buckets (default `["aoai-edge-rate"]`); at most 1024 bytes as a Deno KV
   * key, leaving room for the client id under the 2 KiB key limit.
   */
  prefix?: readonly (string | number)[];
  /**
   * Reads and conditional writes one batch of takes (those of one client overlapping in this
   * isolate) may try when other isolates change the client's entry meanwhile (default 32). A
   * batch that loses every race is refused with `retry-after: 1` rather than risk going over the
   * limit.
   */
  maxAttempts?: number;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
}

const WHERE = "new DenoKvRateLimiter()";

/**
 * ms of float rounding a take tolerates (clocks are whole ms anyway); at most half an interval,
 * or at 60 000 a minute and more it would let whole requests over the limit.
 */
const SLACK_MS = 1;

/**
 * A token bucket per client in Deno KV, shared by every isolate. Each client's bucket is one
 * entry, key `[...prefix, client]`: the time (epoch ms) at which the bucket is full again (GCRA's
 * "theoretical arrival time"; no entry means full). A take moves that time one interval later and
 * is refused when that would put it more than a full bucket ahead of now. The write is an atomic
 * check of the entry's versionstamp, so no two takes can both spend the last request of a budget,
 * whichever isolate they run in, and the entry expires when the bucket is full again. Unlike a
 * fixed window, a client cannot spend two budgets back to back around a window's end: after a
 * burst, requests come back one interval at a time. Deno KV is strongly consistent within its
 * region, so on Deno Deploy this is one limit for the whole project instead of one per isolate.
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
  /** ms between two requests at the steady rate. */
  #intervalMs: number;
  /** ms of requests a full bucket holds (its size times the interval). */
  #burstMs: number;
  /** ms of float rounding a take tolerates (see SLACK_MS). */
  #slackMs: number;
  #prefix: (string | number)[];
  #maxAttempts: number;
  #now: () => number;
  /** Takes waiting per client while a batch of that client (begun at `since`) is in Deno KV. */
  #waiting = new Map<string, { takes: Waiter[]; since: number }>();

  /** Wraps an open `Deno.Kv`; throws a TypeError when the options are wrong. */
  constructor(kv: Deno.Kv, options: DenoKvRateLimiterOptions) {
    if (typeof kv !== "object" || kv === null || typeof kv.atomic !== "function") {
      throw new TypeError(`${WHERE}: pass an open Deno.Kv, e.g. await Deno.openKv()`);
    }
    const rpm = options?.requestsPerMinute;
    if (typeof rpm !== "number" || !(rpm > 0) || !Number.isFinite(rpm)) {
      throw new TypeError(`${WHERE}: requestsPerMinute must be a positive number`);
    }
    // A full bucket refills within a day: a longer expireIn would fail every take (and the app
    // let everything through).
    if (rpm < 1 / 1440) {
      throw new TypeError(
        `${WHERE}: requestsPerMinute must be at least one request a day (1/1440); got ${rpm}`,
      );
    }
    const prefix = options.prefix ?? ["aoai-edge-rate"];
    if (!Array.isArray(prefix) || prefix.some((p) => !["string", "number"].includes(typeof p))) {
      throw new TypeError(`${WHERE}: prefix must be an array of strings and numbers`);
    }
    // A key over 2 KiB fails every take, and a failing limiter lets everything through.
    const size = kvKeyBytes(prefix);
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
    this.#intervalMs = 60_000 / rpm;
    this.#burstMs = Math.max(1, rpm) * this.#intervalMs;
    this.#slackMs = Math.min(SLACK_MS, this.#intervalMs / 2);
    this.#prefix = [...prefix];
    this.#maxAttempts = attempts;
    this.#now = options.now ?? Date.now;
  }

  /** The configured requests per minute. */
  get requestsPerMinute(): number {
    return this.#rpm;
  }

  /**
   * Takes one request from `client`'s bucket; rejects when Deno KV fails. Takes of one client
   * that overlap in this isolate go to Deno KV together, as one read and one conditional write
   * for all of them: racing each other for the entry, a burst of them would mostly lose (and be
   * refused) however much budget is left.
   */
  take(client: string): Promise<RateLimitDecision> {
    return new Promise((resolve, reject) => {
      const waiting = this.#waiting.get(client);
      // Not behind a batch in KV for a second or more (a read that hangs): the app's time limit
      // would let each of them through, for as long as it hangs (also after the clock went back).
      if (waiting && !kvStale(waiting.since, this.#now())) {
        return waiting.takes.push({ resolve, reject });
      }
      const queue = { takes: [{ resolve, reject }], since: this.#now() };
      this.#waiting.set(client, queue);
      this.#drain(client, queue);
    });
  }

  /** Answers `queue` batch by batch (takes that arrive meanwhile join the next batch). */
  async #drain(client: string, queue: { takes: Waiter[]; since: number }): Promise<void> {
    while (queue.takes.length) {
      const batch = queue.takes.splice(0);
      queue.since = this.#now();
      try {
        const decisions = await this.#takeMany(client, batch.length);
        batch.forEach((waiter, i) => waiter.resolve(decisions[i]));
      } catch (err) {
        for (const waiter of batch) waiter.reject(err);
      }
    }
    if (this.#waiting.get(client) === queue) this.#waiting.delete(client);
  }

  /** Takes up to `n` requests at once: the first ones the bucket holds go ahead. */
  async #takeMany(client: string, n: number): Promise<RateLimitDecision[]> {
    const key = [...this.#prefix, client];
    const interval = this.#intervalMs;
    for (let attempt = 0; attempt < this.#maxAttempts; attempt++) {
      const entry = await this.#kv.get<number>(key);
      const now = this.#now();
      const stored = typeof entry.value === "number" ? entry.value : now;
      // Never more than a full bucket ahead: an entry written by a clock ahead of this one (or
      // before this clock went back) would otherwise refuse for that much longer. Such an entry
      // is written back clamped, even by a refusal, so the bucket refills from there.
      const fullAt = kvFullAt(stored, now, this.#burstMs);
      // Whole requests the bucket holds now. The slack absorbs float rounding of the summed
      // intervals (7 per minute: 8571.428… ms).
      const room = Math.floor((this.#burstMs + this.#slackMs - (fullAt - now)) / interval);
      const allowed = Math.max(0, Math.min(n, room));
      // When the request after the allowed ones could go.
      const over = fullAt - now + (allowed + 1) * interval - this.#burstMs - this.#slackMs;
      const refused = {
        ok: false,
        remaining: 0,
        retryAfterSeconds: Math.max(1, Math.ceil(over / 1000)),
      };
      const decisions = Array.from(
        { length: n },
        (_, i) =>
          i < allowed ? { ok: true, remaining: room - i - 1, retryAfterSeconds: 0 } : refused,
      );
      if (!allowed && fullAt === stored) return decisions;
      const ahead = fullAt + allowed * interval - now;
      let committed: Deno.KvCommitResult | Deno.KvCommitError;
      try {
        committed = await this.#kv.atomic().check(entry)
          .set(key, now + ahead, { expireIn: Math.max(1, Math.ceil(ahead)) }).commit();
      } catch (err) {
        // Another process writing the same KV file: tried again (still locked at the last try, a
        // failure, so the app lets the request through rather than refuse every request).
        if (!kvBusy(err) || attempt + 1 >= this.#maxAttempts) throw err;
        await kvPause(attempt);
        continue;
      }
      if (committed.ok) return decisions;
    }
    return Array.from({ length: n }, () => ({ ok: false, remaining: 0, retryAfterSeconds: 1 }));
  }
}

/** A take waiting for its batch's answer. */
interface Waiter {
  resolve(decision: RateLimitDecision): void;
  reject(err: unknown): void;
}
