import { tagBuiltin } from "./_kind.ts";
import { APITimeoutError, APIUserAbortError } from "../errors/api_error.ts";
import { callDeadline, DEADLINE_STATE_KEY, endParked, park } from "./_deadline.ts";
import { type Alarm, ALARMS, MAX_TIMER_MS } from "./_alarm_clock.ts";
import { siteOf } from "./_replay.ts";
import { onAbort } from "./_abort.ts";
import { checkMs } from "./retry.ts";
import { CALL_OPTIONS_STATE_KEY } from "./_state.ts";
import { checkFns } from "../options.ts";
import { NULL_BODY_STATUSES } from "../_internal/on_body_end.ts";
import type { CallSettings, Middleware, MiddlewareContext } from "./types.ts";

/**
 * Options of {@link timeout}.
 *
 * @example 30 s per attempt, 90 s for the whole call
 * ```ts
 * import { AzureOpenAI, timeout, type TimeoutOptions } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const options: TimeoutOptions = { timeoutMs: 30_000, totalTimeoutMs: 90_000 };
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   middleware: [timeout(options)],
 * });
 * const res = await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
 * console.log(res.data.length); // 1
 * ```
 */
export interface TimeoutOptions {
  /**
   * Deadline per attempt in ms, until headers arrive (and, for non-streams, the whole body); a
   * call's own `timeoutMs` option wins over it (default: the client's `timeoutMs`). Time
   * the call waited in an outer `rateLimit()`'s queue counts against its first attempt.
   */
  timeoutMs?: number;
  /**
   * Deadline of the whole call in ms, across retries, counted from the first attempt, or from
   * when the call reached an outer `rateLimit()`'s queue (default: none). Each attempt gets `min(timeoutMs, time left)`; `retry()` stops instead of waiting past
   * it.
   */
  totalTimeoutMs?: number;
  /** Clock in ms, for tests (default `Date.now`). */
  now?: () => number;
}

/**
 * `ctx.state` key where `rateLimit()` puts the ms a call waited in its queue: the attempt that
 * follows and the total deadline count it.
 */
export const QUEUED_MS_STATE_KEY = "aoai-edge.queuedMs";

/** The abort reason of an attempt whose deadline passed. */
const TIMED_OUT = new DOMException("the attempt's deadline passed", "TimeoutError");

/**
 * Per-attempt deadline. For non-streaming calls the deadline covers headers and body: in the
 * client it keeps running until the body has been read; used elsewhere, it reads the body inside
 * the deadline into a new `Response`. For streams it covers the time to headers, then the stream's
 * own idle timeout takes over. An expired deadline raises {@link APITimeoutError}, which `retry()`
 * may retry. Without `timeoutMs`, or when the call sets its own, the call's `timeoutMs` (client
 * default 600 000) applies.
 * `totalTimeoutMs` bounds the whole call, retries and their waits included.
 *
 * @example A 5 ms deadline per attempt against a service that takes 20 ms
 * ```ts
 * import { APITimeoutError, AzureOpenAI, timeout } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator({ faults: { latencyMs: 20 } });
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   maxRetries: 0,
 *   middleware: [timeout({ timeoutMs: 5 })],
 * });
 * try {
 *   await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
 * } catch (error) {
 *   console.log(error instanceof APITimeoutError); // true
 * }
 * ```
 */
export function timeout(options: TimeoutOptions = {}): Middleware {
  checkFns(options, ["now"], "timeout()");
  const now = options.now ?? Date.now;
  const total = options.totalTimeoutMs;
  if (total !== undefined && (typeof total !== "number" || !(total > 0))) {
    throw new TypeError("timeout(): totalTimeoutMs must be a positive number of milliseconds");
  }
  // A NaN (Number() of an unset variable) or a negative one set no deadline at all, not even the
  // call's; a string ran out at once.
  const per = options.timeoutMs;
  checkMs(per ?? 0, "timeoutMs", "timeout()");
  // Identifies this layer's parked deadlines.
  const owner = {};
  // Not async: without a deadline the layer hands on next()'s own promise (an async function
  // would wrap it in another, a few microtasks per call).
  return tagBuiltin(function timeout(ctx, next) {
    endParked(ctx.state, owner);
    // Time queued in an outer rateLimit() counts against this attempt and the call's total.
    const queued = ctx.state[QUEUED_MS_STATE_KEY] as number || 0;
    if (queued) ctx.state[QUEUED_MS_STATE_KEY] = 0;
    // A call's own timeoutMs wins over this layer's.
    const own = ctx.state[CALL_OPTIONS_STATE_KEY] as Partial<CallSettings> | undefined;
    const perAttempt = own?.timeoutMs ?? per ?? ctx.options.timeoutMs;
    let ms = perAttempt > 0 ? perAttempt - queued : Infinity;
    let budget = "timeoutMs";
    if (total !== undefined) {
      const deadline = callDeadline(ctx) ??
        (ctx.state[DEADLINE_STATE_KEY] = now() - queued + total);
      const left = Math.max(0, deadline - now());
      if (left < ms) {
        ms = left;
        budget = `totalTimeoutMs (${total} ms)`;
      }
    }
    if (!(ms <= MAX_TIMER_MS)) return next();
    if (ms <= 0) {
      return Promise.reject(
        new APITimeoutError(
          `${siteOf(ctx)} ran out of its ${budget} before attempt ${ctx.attempt}; raise it or ` +
            "check the network",
        ),
      );
    }
    return attempt(ctx, next, ms, budget);
  }, "timeout");

  /** Runs one attempt under a deadline `ms` from now (`budget` names the option that set it). */
  async function attempt(
    ctx: MiddlewareContext,
    next: () => Promise<Response>,
    ms: number,
    budget: string,
  ): Promise<Response> {
    const outer = ctx.signal;
    const controller = new AbortController();
    const link = () => onAbort(outer, () => controller.abort(outer?.reason));
    let unhook = link();
    let alarm: Alarm | undefined = ALARMS.set(ms, () => controller.abort(TIMED_OUT));
    const stopTimer = () => alarm && ALARMS.cancel(alarm);
    const end = () => {
      stopTimer();
      alarm = undefined;
      unhook();
    };
    // A parked body nobody touched yet holds neither the timer nor a listener on the caller's
    // signal (a long-lived one would keep one per call); reading it links it again (an abort
    // meanwhile aborts it at once).
    const pause = () => {
      stopTimer();
      unhook();
    };
    const resume = () => alarm && (ALARMS.add(alarm), unhook = link());
    // What a layer inside was waiting for when the deadline passed, as its abort error says it
    // (auth's " while waiting for the tokenProvider": nothing was sent, the provider hung).
    const timedOut = (cause: unknown) =>
      controller.signal.reason === TIMED_OUT &&
      new APITimeoutError(
        `${siteOf(ctx)} timed out after ${ms} ms${
          / while waiting.*|$/.exec((cause as Error)?.message)
        }; raise ${budget} or check the network`,
        { cause },
      );
    // A body's error the client typed already (its hooks run first) is not wrapped again.
    const explain = (cause: unknown) =>
      timedOut(cause) ||
      (outer?.aborted && !(cause instanceof APIUserAbortError)
        ? new APIUserAbortError(`${ctx.operation} was aborted by the caller`, { cause })
        : undefined);
    ctx.signal = controller.signal;
    let handedOn = false;
    try {
      let response: Response;
      try {
        response = await next();
      } catch (err) {
        throw timedOut(err) || err;
      }
      if (ctx.stream && response.ok) {
        // The stream stays linked to the caller's signal; its idle timeout takes over.
        stopTimer();
        handedOn = true;
        return response;
      }
      if (NULL_BODY_STATUSES.includes(response.status)) return response;
      if (park(ctx.state, { owner, end, explain, pause, resume })) {
        handedOn = true;
        return response;
      }
      try {
        return new Response(await response.arrayBuffer(), response);
      } catch (err) {
        throw explain(err) ?? err;
      }
    } finally {
      ctx.signal = outer;
      if (!handedOn) end();
    }
  }
}
