/**
 * Per-deployment requests- and tokens-per-minute limits over a sliding 60 s window,
 * answering 429 like the service (`retry-after`, `retry-after-ms`,
 * `x-ratelimit-remaining-requests`, `x-ratelimit-remaining-tokens`). Every model answer carries
 * the remaining-* header of each kind with a limit configured, as Azure's carry what remains of
 * its quota; a kind with no limit has no quota to report and sends none (a stand-in figure such as
 * the largest safe integer would be adopted as a budget by a client that learns from them).
 *
 * @module
 */

import type { EmulatorRateLimits } from "./options.ts";
import { serviceError } from "./_response.ts";

const WINDOW_MS = 60_000;

interface Entry {
  at: number;
  tokens: number;
}

/** The outcome of {@link RateLimiter.take}. */
export type RateDecision =
  | { ok: true; headers: Record<string, string> }
  | {
    ok: false;
    retryAfterMs: number;
    headers: Record<string, string>;
    limit: "requests" | "tokens";
  };

/** Sliding-window limiter keyed by deployment. */
export class RateLimiter {
  #limits: EmulatorRateLimits;
  #now: () => number;
  #windows = new Map<string, Entry[]>();

  /** Creates a limiter; `now` is the injected clock. */
  constructor(limits: EmulatorRateLimits, now: () => number) {
    this.#limits = limits;
    this.#now = now;
  }

  /** Whether any limit is configured. */
  get enabled(): boolean {
    return this.#limits.requestsPerMinute !== undefined ||
      this.#limits.tokensPerMinute !== undefined;
  }

  /** Forgets all recorded requests. */
  reset(): void {
    this.#windows.clear();
  }

  #headers(entries: Entry[]): Record<string, string> {
    const headers: Record<string, string> = {};
    const { requestsPerMinute: rpm, tokensPerMinute: tpm } = this.#limits;
    if (rpm !== undefined) {
      headers["x-ratelimit-remaining-requests"] = String(Math.max(0, rpm - entries.length));
    }
    if (tpm !== undefined) {
      let used = 0;
      for (const e of entries) used += e.tokens;
      headers["x-ratelimit-remaining-tokens"] = String(Math.max(0, tpm - used));
    }
    return headers;
  }

  /** Records a request of `tokens` for `deployment`, or refuses it with the wait time. */
  take(deployment: string, tokens: number): RateDecision {
    const now = this.#now();
    let entries = this.#windows.get(deployment);
    if (!entries) {
      entries = [];
      this.#windows.set(deployment, entries);
    }
    while (entries.length > 0 && entries[0].at <= now - WINDOW_MS) entries.shift();
    const { requestsPerMinute: rpm, tokensPerMinute: tpm } = this.#limits;
    if (rpm !== undefined && entries.length + 1 > rpm) {
      const wait = entries.length > 0 ? entries[0].at + WINDOW_MS - now : WINDOW_MS;
      return { ok: false, retryAfterMs: wait, headers: this.#headers(entries), limit: "requests" };
    }
    if (tpm !== undefined) {
      let used = 0;
      for (const e of entries) used += e.tokens;
      if (used + tokens > tpm) {
        let wait = WINDOW_MS;
        if (tokens <= tpm) {
          let freed = 0;
          for (const e of entries) {
            freed += e.tokens;
            if (used - freed + tokens <= tpm) {
              wait = e.at + WINDOW_MS - now;
              break;
            }
          }
        }
        return { ok: false, retryAfterMs: wait, headers: this.#headers(entries), limit: "tokens" };
      }
    }
    entries.push({ at: now, tokens });
    return { ok: true, headers: this.#headers(entries) };
  }
}

/** The 429 the service sends when a deployment's limit is exceeded. */
export function rateLimitedResponse(
  decision: Extract<RateDecision, { ok: false }>,
  operation: string,
  apiVersion: string,
): Response {
  const ms = Math.ceil(decision.retryAfterMs);
  const seconds = Math.ceil(ms / 1000);
  const what = decision.limit === "tokens" ? "token rate limit" : "call rate limit";
  return serviceError(
    429,
    "429",
    `Requests to the ${operation} Operation under Azure OpenAI API version ${apiVersion} have exceeded ${what} of your current OpenAI S0 pricing tier. Please retry after ${seconds} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`,
    {},
    { ...decision.headers, "retry-after": String(seconds), "retry-after-ms": String(ms) },
  );
}
