import { tagBuiltin } from "./_kind.ts";
import { APIConnectionError, APIUserAbortError, RateLimitError } from "../errors/api_error.ts";
import { describeSite, requestIdOf } from "../errors/from_response.ts";
import { parseRetryAfterMs } from "../errors/retry_after.ts";
import { sleep as realSleep } from "../_internal/sleep.ts";
import type { Middleware } from "./types.ts";

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Retries after the first attempt (default: the call's `maxRetries`, client default 2). */
  maxRetries?: number;
  /** Statuses worth retrying (default 408, 409, 429, 500, 502, 503, 504). */
  statuses?: readonly number[];
  /** Retry connection errors and timeouts (default true). */
  retryConnectionErrors?: boolean;
  /** First backoff step in ms when the service gave no hint (default 500). */
  baseDelayMs?: number;
  /** Cap of one backoff wait in ms (default 8 000). */
  maxDelayMs?: number;
  /**
   * When the service asks to wait longer than this (ms), stop and throw {@link RateLimitError}
   * with `retryAfterMs` instead of waiting (default 60 000).
   */
  maxRetryAfterMs?: number;
  /** Sleep function, for tests (default: abortable setTimeout). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Random source in [0, 1) for jitter, for tests (default Math.random). */
  random?: () => number;
}

/** Default retriable statuses. */
export const RETRY_STATUSES: readonly number[] = [408, 409, 429, 500, 502, 503, 504];

/**
 * Retries failed attempts: connection errors and timeouts, and statuses 408, 409, 429, 500,
 * 502, 503, 504. Waits what the service asks (`retry-after-ms`, `x-ms-retry-after-ms`,
 * `retry-after` seconds or date), else exponential backoff with full jitter, capped. A wait
 * beyond `maxRetryAfterMs` ends retrying with a {@link RateLimitError}. Streams are never retried
 * once the response was handed on; bodies that cannot be replayed are not retried. Waits end at
 * once when the call's signal aborts.
 *
 * @example Up to 5 retries, waiting at most 30 s per 429
 * ```ts
 * import { AzureOpenAI, retry } from "@aoai/edge";
 * const client = new AzureOpenAI({
 *   endpoint: "https://my-res.openai.azure.com",
 *   apiKey: "key",
 *   middleware: [retry({ maxRetries: 5, maxRetryAfterMs: 30_000 })],
 * });
 * console.log(typeof client);
 * ```
 */
export function retry(options: RetryOptions = {}): Middleware {
  const statuses = new Set(options.statuses ?? RETRY_STATUSES);
  const retryConnection = options.retryConnectionErrors ?? true;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 8_000;
  const maxAfter = options.maxRetryAfterMs ?? 60_000;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  return tagBuiltin(async function retry(ctx, next) {
    const max = Math.max(0, options.maxRetries ?? ctx.options.maxRetries);
    const canReplay = ctx.replayable || ctx.request.body === null;
    const original = ctx.request;
    const userSignal = ctx.signal;
    for (let attempt = 1;; attempt++) {
      ctx.attempt = attempt;
      const last = attempt > max || !canReplay;
      ctx.request = last || original.body === null ? original : original.clone();
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await next();
      } catch (err) {
        failure = err;
      }
      if (response && !statuses.has(response.status)) return response;
      if (failure !== undefined) {
        if (failure instanceof APIUserAbortError || userSignal?.aborted) throw failure;
        if (!(retryConnection && failure instanceof APIConnectionError) || last) throw failure;
      } else if (last) {
        return response as Response;
      }
      const asked = response ? parseRetryAfterMs(response.headers) : undefined;
      if (asked !== undefined && asked > maxAfter) {
        const res = response as Response;
        await res.body?.cancel();
        throw new RateLimitError(
          `${
            describeSite({ operation: ctx.operation, method: original.method, url: original.url })
          } ` +
            `was throttled (status ${res.status}) and the service asked to wait ${asked} ms, more ` +
            `than maxRetryAfterMs (${maxAfter} ms); retry later or raise maxRetryAfterMs` +
            (requestIdOf(res.headers) ? ` [request id ${requestIdOf(res.headers)}]` : ""),
          {
            status: res.status,
            code: String(res.status),
            headers: res.headers,
            requestId: requestIdOf(res.headers),
            retryAfterMs: asked,
          },
        );
      }
      await response?.body?.cancel();
      const wait = asked ?? Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1)));
      try {
        await sleep(wait, userSignal);
      } catch (err) {
        throw new APIUserAbortError(`${ctx.operation} was aborted while waiting to retry`, {
          cause: err,
        });
      }
    }
  }, "retry");
}
