import { tagBuiltin } from "./_kind.ts";
import { APIConnectionError, APITimeoutError, APIUserAbortError } from "../errors/api_error.ts";
import { errorFromResponse } from "../errors/from_response.ts";
import { callDeadline } from "./_deadline.ts";
import { CALL_OPTIONS_STATE_KEY, notifyAttempt, pushState } from "./_state.ts";
import { resend, siteOf, siteParts, snapshot } from "./_replay.ts";
import { parseRetryAfterMs } from "../errors/retry_after.ts";
import { sleep as realSleep } from "../_internal/sleep.ts";
import type { CallSettings, Middleware } from "./types.ts";
import { checkCount, checkFns } from "../options.ts";

/**
 * Options of {@link retry}.
 *
 * @example Retry a 503 and report the wait
 * ```ts
 * import { AzureOpenAI, retry, type RetryOptions } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * let calls = 0; // the first attempt gets a 503 that asks to wait 1 ms
 * const flaky = (req: Request) =>
 *   ++calls === 1
 *     ? Promise.resolve(new Response("busy", { status: 503, headers: { "retry-after-ms": "1" } }))
 *     : emulator.fetch(req);
 * const options: RetryOptions = { maxRetries: 3, onRetry: (i) => console.log(i.status, i.waitMs) };
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: flaky,
 *   middleware: [retry(options)],
 * });
 * await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" }); // logs 503 1
 * ```
 */
export interface RetryOptions {
  /**
   * Retries after the first attempt (default: the client's `maxRetries`, 2 unless set). A call's own
   * `maxRetries` option wins over it.
   */
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
  /** Clock in ms, for the total deadline of `timeout({ totalTimeoutMs })` (default Date.now). */
  now?: () => number;
  /**
   * Called before each backoff wait, e.g. to log it: the attempt that failed, the wait in ms and
   * the status (or the error) that caused it.
   */
  onRetry?: (info: RetryInfo) => void;
}

/**
 * What {@link RetryOptions.onRetry} and the `ctx.state` retry record report.
 *
 * @example Log each backoff wait
 * ```ts
 * import { AzureOpenAI, retry, type RetryInfo } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * let calls = 0; // the first attempt gets a 503 that asks to wait 1 ms
 * const flaky = (req: Request) =>
 *   ++calls === 1
 *     ? Promise.resolve(new Response("busy", { status: 503, headers: { "retry-after-ms": "1" } }))
 *     : emulator.fetch(req);
 * const waits: RetryInfo[] = [];
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: flaky,
 *   middleware: [retry({ onRetry: (info) => waits.push(info) })],
 * });
 * await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
 * const [first] = waits;
 * console.log(first.attempt, first.status, first.waitMs, first.serviceAsked); // 1 503 1 true
 * ```
 */
export interface RetryInfo {
  /** The attempt that failed (1 for the first). */
  attempt: number;
  /** How long retry() waits before the next attempt, in ms. */
  waitMs: number;
  /** True when the wait is what the service asked (retry-after headers), false for backoff. */
  serviceAsked: boolean;
  /** Status of the failed attempt, when a response came. */
  status?: number;
  /** Name of the error of the failed attempt, when it threw (e.g. `APIConnectionError`). */
  error?: string;
}

/**
 * `ctx.state` key under which retry() appends a {@link RetryInfo} per wait (an array).
 *
 * @example Count the retries of a call from an outer layer
 * ```ts
 * import { AzureOpenAI, type Middleware, RETRY_STATE_KEY, type RetryInfo } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * let calls = 0; // the first attempt gets a 503 that asks to wait 1 ms
 * const flaky = (req: Request) =>
 *   ++calls === 1
 *     ? Promise.resolve(new Response("busy", { status: 503, headers: { "retry-after-ms": "1" } }))
 *     : emulator.fetch(req);
 * const report: Middleware = async (ctx, next) => {
 *   const res = await next();
 *   console.log((ctx.state[RETRY_STATE_KEY] as RetryInfo[] | undefined)?.length ?? 0); // 1
 *   return res;
 * };
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: flaky,
 *   middleware: [report], // outside the default retry()
 * });
 * await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
 * ```
 */
export const RETRY_STATE_KEY = "aoai-edge.retries";

/**
 * Default retriable statuses.
 *
 * @example Retry the defaults except 409
 * ```ts
 * import { retry, RETRY_STATUSES } from "@aoai/edge";
 * console.log(RETRY_STATUSES.includes(429)); // true
 * const statuses = RETRY_STATUSES.filter((status) => status !== 409);
 * const middleware = retry({ statuses, maxRetries: 4 });
 * console.log(statuses, typeof middleware); // [ 408, 429, 500, 502, 503, 504 ] "function"
 * ```
 */
export const RETRY_STATUSES: readonly number[] = [408, 409, 429, 500, 502, 503, 504];

/**
 * Retries failed attempts: connection errors and timeouts, and statuses 408, 409, 429, 500,
 * 502, 503, 504. Waits what the service asks (`retry-after-ms`, `x-ms-retry-after-ms`,
 * `retry-after` seconds or date; a wait of 0 counts as none), else exponential backoff with full
 * jitter, capped. A wait beyond `maxRetryAfterMs` ends retrying with a {@link RateLimitError}. Streams are never retried
 * once the response was handed on; bodies that cannot be replayed are not retried. Waits end at
 * once when the call's signal aborts. A wait that would pass the call's total deadline
 * (`timeout({ totalTimeoutMs })`) ends retrying with an {@link APITimeoutError}. A `RateLimitError`
 * is thrown for 429s only; another status asking for too long a wait is returned as it is.
 *
 * @example Up to 5 retries, waiting at most 30 s per 429: a 503 is retried
 * ```ts
 * import { AzureOpenAI, retry } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * // The first request gets a 503 with `retry-after-ms: 1`.
 * const faults = { failNext: { count: 1, status: 503 }, retryAfterMs: 1 };
 * const emulator = createEmulator({ faults });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   middleware: [retry({ maxRetries: 5, maxRetryAfterMs: 30_000, onRetry: console.log })],
 * });
 * // onRetry prints { attempt: 1, waitMs: 1, serviceAsked: true, status: 503 }
 * const res = await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
 * console.log(res.data.length, emulator.stats.requests); // 1 2
 * ```
 */
export function retry(options: RetryOptions = {}): Middleware {
  const statuses = new Set(options.statuses ?? RETRY_STATUSES);
  // "429" (split from an environment variable) never matched a status; "false" read as true.
  for (const s of statuses) checkCount(s, "each of statuses", "retry()");
  const retryConnection = options.retryConnectionErrors ?? true;
  if (retryConnection !== !!retryConnection) {
    throw new TypeError("retry(): retryConnectionErrors must be a boolean");
  }
  checkCount(options.maxRetries ?? 0, "maxRetries", "retry()");
  const base = checkMs(options.baseDelayMs ?? 500, "baseDelayMs", "retry()");
  const cap = checkMs(options.maxDelayMs ?? 8_000, "maxDelayMs", "retry()");
  const maxAfter = checkMs(options.maxRetryAfterMs ?? 60_000, "maxRetryAfterMs", "retry()");
  checkFns(options, ["sleep", "random", "now", "onRetry"], "retry()");
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const onRetry = options.onRetry;
  return tagBuiltin(async function retry(ctx, next) {
    const own = ctx.state[CALL_OPTIONS_STATE_KEY] as Partial<CallSettings> | undefined;
    // Below 1 (also negative or NaN, from a context built by hand): no retry.
    const max = own?.maxRetries ?? options.maxRetries ?? ctx.options.maxRetries;
    const userSignal = ctx.signal;
    // What every attempt sends: the client's request parts, or the request a layer outside
    // built, read once into bytes. Undefined when the body cannot be sent twice.
    let parts = max > 0 ? snapshot(ctx) : undefined;
    if (parts instanceof Promise) parts = await parts;
    for (let attempt = 1;; attempt++) {
      ctx.attempt = attempt;
      const last = attempt > max || !parts;
      if (parts) resend(ctx, parts);
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await next();
      } catch (err) {
        failure = err;
      }
      if (response) {
        notifyAttempt(ctx.state, response);
        if (!statuses.has(response.status) || last) return response;
      } else if (
        // No response (whatever was thrown, even nothing at all): retried only when it is a
        // connection error or a timeout.
        failure instanceof APIUserAbortError || userSignal?.aborted ||
        !(retryConnection && failure instanceof APIConnectionError) || last
      ) {
        throw failure;
      }
      // A wait of 0 (also what a past date, "-1" or garbage read as) is no hint: back off.
      const asked = (response && parseRetryAfterMs(response.headers, now())) || undefined;
      if (asked! > maxAfter) { // false while undefined
        if (response!.status !== 429) return response!;
        const err = await errorFromResponse(response!, siteParts(ctx));
        throw Object.assign(err, {
          message: `${err.message}; the service asked to wait ${asked} ms, more than ` +
            `maxRetryAfterMs (${maxAfter} ms): retry later or raise maxRetryAfterMs`,
          code: err.code ?? "429",
          retryAfterMs: asked,
        });
      }
      const wait = asked ?? Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1)));
      const deadline = callDeadline(ctx);
      if (deadline !== undefined && now() + wait >= deadline) {
        if (response) return response;
        throw new APITimeoutError(
          `${
            siteOf(ctx)
          } failed on attempt ${attempt} and waiting ${wait} ms more would pass the ` +
            "total deadline; raise totalTimeoutMs",
          { cause: failure },
        );
      }
      await response?.body?.cancel();
      const info: RetryInfo = {
        attempt,
        waitMs: wait,
        serviceAsked: asked !== undefined,
        status: response?.status,
        error: failure instanceof Error ? failure.name : undefined,
      };
      pushState(ctx.state, RETRY_STATE_KEY, info);
      try {
        onRetry?.(info);
      } catch {
        // A failing observer must not fail the call.
      }
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

/**
 * `value` when it is a number of ms ≥ 0 (Infinity and fractions too), else checkCount()'s
 * TypeError naming `where` and `name`, which quotes a string and masks a long one (a key pasted
 * there by mistake). A NaN, e.g. an unset environment variable through Number(), would retry
 * forever or set no deadline.
 */
export function checkMs(value: unknown, name: string, where: string): number {
  return typeof value == "number" && value >= 0 ? value : checkCount(value, name, where);
}
