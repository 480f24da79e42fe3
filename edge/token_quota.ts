/**
 * Per-client-key token quotas of the edge app (`tokenQuota`): the {@link TokenQuotaLimiter}
 * interface, the UTC-aligned windows ({@link quotaWindow}), and {@link ClientTokenQuota}, a quota
 * per key kept in memory.
 *
 * A quota is a number of tokens a client key may use in a fixed window of time (an hour, a day, an
 * ISO week or a calendar month, aligned to UTC), as Azure API Management's `token-quota`. Unlike
 * the per-minute budget (`tokenLimit`), it caps what a key can spend: once used up, the key is
 * refused (403) until the next window starts.
 *
 * @module
 */

/**
 * The length of a quota's window: windows are aligned to UTC.
 *
 * @example A daily quota's window
 * ```ts
 * import { quotaWindow, type TokenQuotaPeriod } from "@aoai/edge/edge";
 * const period: TokenQuotaPeriod = "day";
 * const { start, end } = quotaWindow(period, Date.UTC(2026, 11, 1, 15, 30));
 * console.log(new Date(start).toISOString(), new Date(end).toISOString());
 * // 2026-12-01T00:00:00.000Z 2026-12-02T00:00:00.000Z
 * ```
 */
export type TokenQuotaPeriod = "hour" | "day" | "week" | "month";

/**
 * A quota limiter's answer for one client.
 *
 * @example Reading a decision
 * ```ts
 * import { ClientTokenQuota, type TokenQuotaDecision } from "@aoai/edge/edge";
 * const quota = new ClientTokenQuota({ tokens: 1_000, period: "hour", now: () => 0 });
 * const decision: TokenQuotaDecision = await quota.check("client-id");
 * console.log(decision.ok, decision.remaining, new Date(decision.resetAt).toISOString());
 * // true 1000 1970-01-01T01:00:00.000Z
 * ```
 */
export interface TokenQuotaDecision {
  /** Whether the client has tokens left in the current window. */
  ok: boolean;
  /** Tokens left in the current window (0 when used up). */
  remaining: number;
  /** When the current window ends and the quota is whole again (ms since the epoch, UTC). */
  resetAt: number;
}

/**
 * A per-client token quota the edge app asks once per authenticated chat, completions or
 * embeddings request or token-billed (gpt-4o-transcribe) transcription (`check`) and tells the
 * tokens each answer used (`charge`), with the same tokens and the same opaque client id as the
 * token limiter (32 hex characters of a SHA-256 of the client key, never the key). A refusal becomes 403 with the time the quota resets; a limiter that
 * throws, rejects or hangs lets the request through, and a failed charge is reported; both go to
 * the app's `onError`.
 *
 * Implementations: {@link ClientTokenQuota} (this isolate's memory), `DenoKvTokenQuota` (one
 * quota across Deno Deploy isolates and instances).
 *
 * @example A quota kept in your own store
 * ```ts
 * import { quotaWindow, type TokenQuotaLimiter } from "@aoai/edge/edge";
 * const used = new Map<string, number>(); // stand-in for a shared store, keyed per window
 * const quota = 1_000_000;
 * const mine: TokenQuotaLimiter = {
 *   check(client) {
 *     const { start, end } = quotaWindow("day", Date.now());
 *     const spent = used.get(`${client}:${start}`) ?? 0;
 *     return { ok: spent < quota, remaining: Math.max(0, quota - spent), resetAt: end };
 *   },
 *   charge(client, tokens) {
 *     const key = `${client}:${quotaWindow("day", Date.now()).start}`;
 *     used.set(key, (used.get(key) ?? 0) + tokens);
 *   },
 * };
 * mine.charge("client-a", 400);
 * console.log((await mine.check("client-a")).remaining); // 999600
 * ```
 */
export interface TokenQuotaLimiter {
  /** Whether `client` has tokens left in the current window, how many, and when it resets. */
  check(client: string): TokenQuotaDecision | Promise<TokenQuotaDecision>;
  /** Counts `tokens` (a positive integer) that one of `client`'s requests used. */
  charge(client: string, tokens: number): void | Promise<void>;
  /** The quota's tokens per window, when known (only used in the 403 message). */
  readonly tokens?: number;
  /** The quota's window, when known (only used in the 403 message). */
  readonly period?: TokenQuotaPeriod;
}

const PERIODS: readonly TokenQuotaPeriod[] = ["hour", "day", "week", "month"];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The window of `period` that holds `time` (ms since the epoch): `start` inclusive, `end`
 * exclusive, both ms since the epoch. Windows are aligned to UTC: the hour; the day from 00:00;
 * the ISO week from Monday 00:00; the calendar month from the 1st 00:00.
 *
 * @example The ISO week of Thursday 1 January 2026 starts on Monday 29 December 2025
 * ```ts
 * import { quotaWindow } from "@aoai/edge/edge";
 * const { start, end } = quotaWindow("week", Date.UTC(2026, 0, 1, 12));
 * console.log(new Date(start).toISOString()); // 2025-12-29T00:00:00.000Z
 * console.log(new Date(end).toISOString()); // 2026-01-05T00:00:00.000Z
 * ```
 */
export function quotaWindow(
  period: TokenQuotaPeriod,
  time: number,
): { start: number; end: number } {
  switch (period) {
    case "hour": {
      const start = Math.floor(time / HOUR) * HOUR;
      return { start, end: start + HOUR };
    }
    case "day": {
      const start = Math.floor(time / DAY) * DAY;
      return { start, end: start + DAY };
    }
    case "week": {
      const day = Math.floor(time / DAY) * DAY;
      // getUTCDay(): 0 is Sunday; the ISO week starts on Monday.
      const start = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
      return { start, end: start + 7 * DAY };
    }
    case "month": {
      const date = new Date(time);
      const year = date.getUTCFullYear();
      const month = date.getUTCMonth();
      // setUTCFullYear(), not Date.UTC(): that reads a year from 0 to 99 as 1900 + year.
      const first = (m: number) => new Date(0).setUTCFullYear(year, m, 1);
      return { start: first(month), end: first(month + 1) };
    }
  }
}

/**
 * Validates a quota's `tokens` and `period`; `where` names the option in the error (which never
 * quotes the value).
 */
export function checkTokenQuota(
  tokens: unknown,
  period: unknown,
  where: string,
): { tokens: number; period: TokenQuotaPeriod } {
  if (!Number.isSafeInteger(tokens) || (tokens as number) < 1) {
    throw new TypeError(`${where}.tokens must be a whole number of tokens of at least 1`);
  }
  if (!PERIODS.includes(period as TokenQuotaPeriod)) {
    throw new TypeError(`${where}.period must be "hour", "day", "week" or "month"`);
  }
  return { tokens: tokens as number, period: period as TokenQuotaPeriod };
}

/** The decision for a client that used `used` of `tokens` in the window ending at `resetAt`. */
export function quotaDecision(used: number, tokens: number, resetAt: number): TokenQuotaDecision {
  const remaining = Math.max(0, tokens - used);
  return { ok: remaining > 0, remaining, resetAt };
}

/**
 * Options of {@link ClientTokenQuota}.
 *
 * @example 2 million tokens a month
 * ```ts
 * import { ClientTokenQuota, type ClientTokenQuotaOptions } from "@aoai/edge/edge";
 * const options: ClientTokenQuotaOptions = { tokens: 2_000_000, period: "month" };
 * console.log(new ClientTokenQuota(options).period); // month
 * ```
 */
export interface ClientTokenQuotaOptions {
  /** Tokens each client key may use per window. */
  tokens: number;
  /** The window: `"hour"`, `"day"`, `"week"` (ISO, from Monday) or `"month"`, aligned to UTC. */
  period: TokenQuotaPeriod;
  /** Clock in ms (tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * A token quota per client in this isolate's memory: `tokens` per window of `period`, aligned to
 * UTC. Each Workers isolate / Deno Deploy instance counts on its own, so a client can use up to
 * the quota in each of them (use `DenoKvTokenQuota`, or a {@link TokenQuotaLimiter} on a shared
 * store, for one quota across them).
 *
 * @example The quota runs out, and is whole again the next day
 * ```ts
 * import { ClientTokenQuota } from "@aoai/edge/edge";
 * let now = Date.UTC(2026, 2, 14, 23, 0);
 * const quota = new ClientTokenQuota({ tokens: 1000, period: "day", now: () => now });
 * quota.charge("client-a", 1200); // one big request overran it
 * const refused = quota.check("client-a");
 * console.log(refused.ok, new Date(refused.resetAt).toISOString()); // false 2026-03-15T00:00:00.000Z
 * now = Date.UTC(2026, 2, 15, 0, 0);
 * console.log(quota.check("client-a")); // { ok: true, remaining: 1000, resetAt: 1773619200000 }
 * ```
 */
export class ClientTokenQuota implements TokenQuotaLimiter {
  readonly #tokens: number;
  readonly #period: TokenQuotaPeriod;
  readonly #now: () => number;
  /** Per client: the start of the window counted and the tokens used in it. */
  readonly #used = new Map<string, { start: number; used: number }>();

  /** Throws a TypeError when `tokens` or `period` is not valid. */
  constructor(options: ClientTokenQuotaOptions) {
    const { tokens, period } = checkTokenQuota(options?.tokens, options?.period, "tokenQuota");
    this.#tokens = tokens;
    this.#period = period;
    this.#now = options.now ?? Date.now;
  }

  /** Tokens per window. */
  get tokens(): number {
    return this.#tokens;
  }

  /** The window's period. */
  get period(): TokenQuotaPeriod {
    return this.#period;
  }

  /** What `client` used in the window holding now (none when its entry is of a window past). */
  #entry(client: string, start: number): { start: number; used: number } | undefined {
    const entry = this.#used.get(client);
    // A clock set back into an earlier window keeps counting in the latest one.
    return entry && entry.start < start ? undefined : entry;
  }

  /** Whether `client` has tokens left in the current window. */
  check(client: string): TokenQuotaDecision {
    const { start, end } = quotaWindow(this.#period, this.#now());
    return quotaDecision(this.#entry(client, start)?.used ?? 0, this.#tokens, end);
  }

  /** Counts `tokens` to `client` in the current window (ignored unless a positive whole number). */
  charge(client: string, tokens: number): void {
    if (!Number.isSafeInteger(tokens) || tokens <= 0) return;
    const { start } = quotaWindow(this.#period, this.#now());
    const entry = this.#entry(client, start);
    if (entry) entry.used += tokens;
    else this.#used.set(client, { start, used: tokens });
  }
}
