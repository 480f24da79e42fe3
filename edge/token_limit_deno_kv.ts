/**
 * {@link DenoKvTokenLimiter}: the edge app's per-client token budget counted in Deno KV, so every
 * isolate of a Deno Deploy project shares one budget.
 *
 * @module
 */
import type { RateLimitDecision } from "./rate_limit.ts";
import {
  chargeable,
  chargedFullAt,
  checkTokensPerMinute,
  tokenDecision,
  type TokenLimiter,
} from "./token_limit.ts";
import { kvBusy, kvFullAt, kvPause, kvStale, kvStoreOptions } from "./_kv_key.ts";

/**
 * Options of {@link DenoKvTokenLimiter}.
 *
 * @example 60 000 tokens a minute under your own key prefix
 * ```ts
 * import { DenoKvTokenLimiter, type DenoKvTokenLimiterOptions } from "@aoai/edge/edge";
 * const kv = await Deno.openKv(":memory:");
 * const options: DenoKvTokenLimiterOptions = { tokensPerMinute: 60_000, prefix: ["my-app", "tpm"] };
 * const limiter = new DenoKvTokenLimiter(kv, options);
 * await limiter.charge("client-a", 500);
 * console.log((await kv.get(["my-app", "tpm", "client-a"])).value !== null); // true
 * kv.close();
 * ```
 */
export interface DenoKvTokenLimiterOptions {
  /** Tokens each client may use per minute (the budget; refills evenly). At least 1. */
  tokensPerMinute: number;
  /**
   * Key prefix of the budgets (default `["aoai-edge-tokens"]`); at most 1024 bytes as a Deno KV
   * key, leaving room for the client id under the 2 KiB key limit.
   */
  prefix?: readonly (string | number)[];
  /**
   * Reads and conditional writes a charge may try when other isolates change the client's entry
   * meanwhile (default 32); a charge that loses every race rejects (the app reports it).
   */
  maxAttempts?: number;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
}

const WHERE = "new DenoKvTokenLimiter()";

/**
 * When the budget of a client whose entry holds `value` is full again, on this clock (`now`). An
 * entry is `[fullAt, at]`: that time, and when it was written (both on the writer's clock); what
 * it owes is never more than it owed when written, however far the writer's clock was ahead of
 * this one. An entry of the old format (`fullAt` alone, before the write time was kept) is read as
 * written: an upgrade frees no client and refuses none.
 */
function fullAtOf(value: unknown, now: number): number {
  if (typeof value === "number") return Math.max(now, value);
  const [fullAt, at] = Array.isArray(value) ? value : [];
  return typeof fullAt === "number" && typeof at === "number"
    ? kvFullAt(fullAt, now, fullAt - at)
    : now;
}

/** Charges of one client waiting to be written, and their callers. */
interface ChargeQueue {
  tokens: number;
  /** When its writer's attempt under way began (ms). */
  since: number;
  waiters: { tokens: number; resolve: () => void; reject: (err: unknown) => void }[];
}

/**
 * A token budget per client in Deno KV, shared by every isolate. Each client's budget is one
 * entry, key `[...prefix, client]`: `[fullAt, at]`, the time (epoch ms) at which the budget is
 * full again and when that was written (no entry means full); each token charged moves `fullAt`
 * `60 000 / tokensPerMinute` ms later. A request is let through while less than a minute's worth
 * is owed. Charges are atomic (a versionstamp check), so concurrent charges from any isolate all
 * count (those of one client in one isolate go in one write), and the entry expires when the
 * budget is full again.
 *
 * Clocks: an entry written by a clock ahead of the reader's (an isolate whose clock runs ahead,
 * or this one's before it was set back) owes the reader no more than it owed when written, and is
 * written back on the reader's clock (by a check too), so the budget refills from there: a clock
 * set back, or another isolate's ahead, refuses no one for longer than the debt itself. An isolate
 * whose clock is ahead reads what the others wrote as refilled by that lead (lets through).
 *
 * A KV failure rejects `check()` or `charge()`; the edge app then lets the request through or
 * reports the lost charge through `onError` (fail open). The caller owns the `Deno.Kv` handle.
 *
 * @example Two limiters on one KV share one budget
 * ```ts
 * import { DenoKvTokenLimiter } from "@aoai/edge/edge";
 * const kv = await Deno.openKv(":memory:");
 * const a = new DenoKvTokenLimiter(kv, { tokensPerMinute: 1000, now: () => 0 });
 * const b = new DenoKvTokenLimiter(kv, { tokensPerMinute: 1000, now: () => 0 });
 * await a.charge("client-a", 1000);
 * console.log(await b.check("client-a")); // { ok: false, retryAfterSeconds: 1 }
 * kv.close();
 * ```
 */
export class DenoKvTokenLimiter implements TokenLimiter {
  readonly #kv: Deno.Kv;
  readonly #tpm: number;
  readonly #prefix: readonly (string | number)[];
  readonly #maxAttempts: number;
  readonly #now: () => number;
  /** Per client, the charges waiting for its writer. */
  readonly #queues = new Map<string, ChargeQueue>();

  /** Throws a TypeError naming the option at fault. */
  constructor(kv: Deno.Kv, options: DenoKvTokenLimiterOptions) {
    if (typeof kv?.atomic !== "function") {
      throw new TypeError(`${WHERE}: the first argument must be a Deno.Kv (Deno.openKv())`);
    }
    this.#tpm = checkTokensPerMinute(options?.tokensPerMinute, `${WHERE}: tokensPerMinute`);
    const { prefix, attempts } = kvStoreOptions(options, ["aoai-edge-tokens"], WHERE);
    this.#kv = kv;
    this.#prefix = prefix;
    this.#maxAttempts = attempts;
    this.#now = options.now ?? Date.now;
  }

  /** The configured tokens per minute. */
  get tokensPerMinute(): number {
    return this.#tpm;
  }

  /** Whether `client` has budget left (one strongly consistent read). */
  async check(client: string): Promise<RateLimitDecision> {
    const entry = await this.#kv.get([...this.#prefix, client]);
    const now = this.#now();
    const fullAt = fullAtOf(entry.value, now);
    // Written by a clock ahead of this one: written back on this clock, or the budget of a client
    // refused (and so charged nothing) would not refill until this clock caught up.
    if (Array.isArray(entry.value) && entry.value[1] > now) {
      await this.#set(entry, fullAt, now).catch(() => {}); // tried again by the next check
    }
    return tokenDecision(fullAt, now, this.#tpm);
  }

  /**
   * Charges `tokens` to `client`'s budget (ignored unless a positive whole number). Charges of
   * one client overlapping in this isolate are written together, as one conditional write.
   */
  charge(client: string, tokens: number): Promise<void> {
    if (!chargeable(tokens)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let queue = this.#queues.get(client);
      // Not behind an attempt in KV for a second or more (a read that hangs): every later charge
      // of the client would wait for it, and be lost to the app's time limit.
      const idle = !queue || kvStale(queue.since, this.#now());
      if (!queue || idle) {
        this.#queues.set(client, queue = { tokens: 0, since: this.#now(), waiters: [] });
      }
      queue.tokens += tokens;
      queue.waiters.push({ tokens, resolve, reject });
      if (idle) void this.#write(client, queue);
    });
  }

  /** Writes `[fullAt, now]` over `entry` unless it changed meanwhile; expires when full again. */
  #set(entry: Deno.KvEntryMaybe<unknown>, fullAt: number, now: number) {
    return this.#kv.atomic().check(entry)
      .set(entry.key, [fullAt, now], { expireIn: Math.max(1, Math.ceil(fullAt - now)) })
      .commit();
  }

  /** Writes `queue`'s charges until none is left (one writer per client in this isolate). */
  async #write(client: string, queue: ChargeQueue): Promise<void> {
    const key = [...this.#prefix, client];
    let lost = 0;
    while (queue.waiters.length) {
      // The charges of this attempt: those waiting now, and those joining during the read.
      let count = queue.waiters.length;
      let failure: unknown;
      queue.since = this.#now();
      try {
        const entry = await this.#kv.get(key);
        const take = queue.tokens;
        count = queue.waiters.length;
        const now = this.#now();
        const fullAt = chargedFullAt(fullAtOf(entry.value, now), now, take, this.#tpm);
        const { ok } = await this.#set(entry, fullAt, now);
        if (ok) {
          lost = 0;
          queue.tokens -= take;
          for (const waiter of queue.waiters.splice(0, count)) waiter.resolve();
          continue;
        }
        // Another isolate changed the entry meanwhile: read it again.
        if (++lost < this.#maxAttempts) continue;
        failure = new Error(
          `${WHERE}: ${take} tokens not counted, the entry kept changing ` +
            `(${this.#maxAttempts} tries)`,
        );
      } catch (err) {
        // Another process writing the same KV file: tried again, as a lost race.
        if (kvBusy(err) && ++lost < this.#maxAttempts) {
          await kvPause(lost);
          continue;
        }
        failure = err;
      }
      // Only this attempt's charges fail: those that joined meanwhile get an attempt of their own.
      lost = 0;
      for (const waiter of queue.waiters.splice(0, count)) {
        queue.tokens -= waiter.tokens;
        waiter.reject(failure);
      }
    }
    if (this.#queues.get(client) === queue) this.#queues.delete(client);
  }
}
