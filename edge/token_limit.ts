/**
 * Per-client-key token budgets of the edge app (`tokenLimit`): the {@link TokenLimiter}
 * interface, and {@link ClientTokenLimiter}, a budget per key kept in memory.
 *
 * A request is let through while its client's budget is not used up, and charged afterwards with
 * the tokens it used: the `usage` the service reported (`total_tokens`), or, for a stream that
 * carried none, an estimate. So a budget can be overrun by the requests in flight when it ran
 * out, and the next requests wait until it has refilled past zero, as Azure API Management's
 * token limit policy does without prompt estimation. (The edge app also counts an estimate of the
 * prompts of the requests it has in flight as spent: see `EdgeTokenLimitOptions`.)
 *
 * @module
 */
import type { RateLimitDecision } from "./rate_limit.ts";

/**
 * A per-client token budget the edge app asks once per authenticated chat, completions or
 * embeddings request or token-billed (gpt-4o-transcribe) transcription (`check`) and tells the
 * tokens each answer used (`charge`). `client` is the same opaque id as the rate limiter's:
 * 32 hex characters of a SHA-256 of the matched client key (`clientIdOf(key)`), never the key.
 * A refusal becomes 429 with `retry-after`; a limiter that throws (or rejects) lets the request
 * through, and a failed charge is reported; both go to the app's `onError`.
 *
 * Implementations: {@link ClientTokenLimiter} (this isolate's memory), `DenoKvTokenLimiter` (one
 * budget across Deno Deploy isolates).
 *
 * @example A budget that only counts
 * ```ts
 * import type { TokenLimiter } from "@aoai/edge/edge";
 * const used = new Map<string, number>();
 * const counting: TokenLimiter = {
 *   check: () => ({ ok: true, retryAfterSeconds: 0 }),
 *   charge: (client: string, tokens: number) =>
 *     void used.set(client, (used.get(client) ?? 0) + tokens),
 * };
 * await counting.charge("client-a", 42);
 * console.log(used.get("client-a")); // 42
 * ```
 */
export interface TokenLimiter {
  /**
   * Says whether `client` may send a request now (its budget is not used up). Give `remaining`
   * (the tokens left) with `ok: true`: without it the app cannot count the prompts of the
   * client's requests in flight against the budget, and lets them all through.
   */
  check(client: string): RateLimitDecision | Promise<RateLimitDecision>;
  /** Counts `tokens` (a positive integer) that one of `client`'s requests used. */
  charge(client: string, tokens: number): void | Promise<void>;
  /** The budget, when it is a number of tokens per minute (only used in the 429 message). */
  readonly tokensPerMinute?: number;
}

/**
 * Options of {@link ClientTokenLimiter}.
 *
 * @example 10 000 tokens a minute, on a fixed clock
 * ```ts
 * import { ClientTokenLimiter, type ClientTokenLimitOptions } from "@aoai/edge/edge";
 * const options: ClientTokenLimitOptions = { tokensPerMinute: 10_000, now: () => 0 };
 * console.log(new ClientTokenLimiter(options).tokensPerMinute); // 10000
 * ```
 */
export interface ClientTokenLimitOptions {
  /** Tokens each client key may use per minute (the budget; refills evenly). */
  tokensPerMinute: number;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
}

/** Validates a tokens-per-minute option; `where` names it in the error. */
export function checkTokensPerMinute(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || !(value >= 1)) {
    throw new TypeError(`${where} must be a number of tokens per minute of at least 1, e.g. 60000`);
  }
  return value;
}

/**
 * The decision for a client whose budget is full again at `fullAt` (ms; GCRA's "theoretical
 * arrival time", where each token moves it `60 000 / tokensPerMinute` ms later): let through
 * while less than a whole budget is owed.
 */
export function tokenDecision(
  fullAt: number,
  now: number,
  tokensPerMinute: number,
): RateLimitDecision {
  const owedMs = Math.max(0, fullAt - now);
  if (owedMs < 60_000) {
    return {
      ok: true,
      retryAfterSeconds: 0,
      // A millionth of a token forgives float rounding: 1 - 0.9 is 0.09999999999999998.
      remaining: Math.floor(tokensPerMinute * (1 - owedMs / 60_000) + 1e-6),
    };
  }
  // Positive again once less than a minute's worth is owed.
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((owedMs - 60_000 + 1) / 1000)) };
}

/** When the budget is full again after charging `tokens` to one full at `fullAt`. */
export function chargedFullAt(
  fullAt: number,
  now: number,
  tokens: number,
  tokensPerMinute: number,
): number {
  return Math.max(fullAt, now) + tokens * 60_000 / tokensPerMinute;
}

/** Validates a charge: a positive whole number of tokens, else nothing to count. */
export function chargeable(tokens: number): boolean {
  return Number.isSafeInteger(tokens) && tokens > 0;
}

/**
 * A token budget per client in this isolate's memory: `tokensPerMinute` tokens, refilled evenly
 * over a minute. Each Workers isolate / Deno Deploy instance counts on its own (use
 * `DenoKvTokenLimiter` for one budget across Deno Deploy instances).
 *
 * @example The budget runs out, then refills
 * ```ts
 * import { ClientTokenLimiter } from "@aoai/edge/edge";
 * let now = 0;
 * const limiter = new ClientTokenLimiter({ tokensPerMinute: 1000, now: () => now });
 * console.log(limiter.check("client-a")); // { ok: true, retryAfterSeconds: 0, remaining: 1000 }
 * limiter.charge("client-a", 1500); // one big request overran the budget
 * console.log(limiter.check("client-a")); // { ok: false, retryAfterSeconds: 31 }
 * now = 31_000;
 * console.log(limiter.check("client-a").ok); // true
 * ```
 */
export class ClientTokenLimiter implements TokenLimiter {
  #tpm: number;
  #now: () => number;
  /** Added to the clock: a clock set back runs on from its latest reading instead. */
  #offset = 0;
  #last = -Infinity;
  /** Per client: when its budget is full again (ms). */
  #fullAt = new Map<string, number>();

  /** Throws a TypeError when `tokensPerMinute` is not a number of at least 1. */
  constructor(options: ClientTokenLimitOptions) {
    this.#tpm = checkTokensPerMinute(options?.tokensPerMinute, "tokenLimit.tokensPerMinute");
    this.#now = options.now ?? Date.now;
  }

  /** The configured tokens per minute. */
  get tokensPerMinute(): number {
    return this.#tpm;
  }

  /**
   * The clock, never going back: set back (NTP, an operator), it would add the jump to what every
   * client owes, refusing clients under their budget for as long.
   */
  #time(): number {
    const now = this.#now() + this.#offset;
    if (now < this.#last) {
      this.#offset += this.#last - now;
      return this.#last;
    }
    return this.#last = now;
  }

  /** Whether `client` has budget left. */
  check(client: string): RateLimitDecision {
    const now = this.#time();
    const fullAt = this.#fullAt.get(client);
    if (fullAt !== undefined && fullAt <= now) this.#fullAt.delete(client); // full again
    return tokenDecision(fullAt ?? now, now, this.#tpm);
  }

  /** Charges `tokens` to `client`'s budget (ignored unless a positive whole number). */
  charge(client: string, tokens: number): void {
    if (!chargeable(tokens)) return;
    const now = this.#time();
    this.#fullAt.set(
      client,
      chargedFullAt(this.#fullAt.get(client) ?? now, now, tokens, this.#tpm),
    );
  }
}
