import { tagBuiltin } from "./_kind.ts";
import { APITimeoutError, APIUserAbortError } from "../errors/api_error.ts";
import {
  bodyDeadlines,
  callDeadline,
  DEADLINE_STATE_KEY,
  type ParkedDeadline,
} from "./_deadline.ts";
import { type Alarm, ALARMS, MAX_TIMER_MS } from "./_alarm_clock.ts";
import { siteOf } from "./_replay.ts";
import type { Middleware, MiddlewareContext } from "./types.ts";

/** Options of {@link timeout}. */
export interface TimeoutOptions {
  /** Deadline per attempt in ms, until headers arrive (and, for non-streams, the whole body). */
  timeoutMs?: number;
  /**
   * Deadline of the whole call in ms, across retries, counted from the first attempt (default:
   * none). Each attempt gets `min(timeoutMs, time left)`; `retry()` stops instead of waiting past
   * it.
   */
  totalTimeoutMs?: number;
  /** Clock in ms, for tests (default `Date.now`). */
  now?: () => number;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

class TimeoutSignal extends Error {
  constructor() {
    super("timeout");
    this.name = "TimeoutSignal";
  }
}

/** One attempt's deadline: a controller linked to the caller's signal, and an alarm. */
class AttemptDeadline implements ParkedDeadline {
  declare readonly owner: object;
  readonly #controller = new AbortController();
  readonly #ctx: MiddlewareContext;
  readonly #outer: AbortSignal | undefined;
  readonly #ms: number;
  readonly #budget: string;
  #alarm: Alarm | undefined;
  #onOuterAbort: (() => void) | undefined;

  constructor(owner: object, ctx: MiddlewareContext, ms: number, budget: string) {
    this.owner = owner;
    this.#ctx = ctx;
    this.#ms = ms;
    this.#budget = budget;
    const outer = ctx.signal;
    this.#outer = outer;
    const controller = this.#controller;
    if (outer?.aborted) controller.abort(outer.reason);
    else if (outer !== undefined) {
      this.#onOuterAbort = () => controller.abort(outer.reason);
      outer.addEventListener("abort", this.#onOuterAbort, { once: true });
    }
    // The marker (an Error, costly to build) is made only when the deadline passes.
    this.#alarm = ALARMS.set(ms, () => controller.abort(new TimeoutSignal()));
  }

  /** The signal for the layers below. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Cancels the alarm only (a stream stays linked to the caller's signal). */
  stopTimer(): void {
    if (this.#alarm !== undefined) ALARMS.cancel(this.#alarm);
    this.#alarm = undefined;
  }

  end(): void {
    this.stopTimer();
    if (this.#onOuterAbort !== undefined) {
      this.#outer?.removeEventListener("abort", this.#onOuterAbort);
      this.#onOuterAbort = undefined;
    }
  }

  /** True once this attempt's deadline passed. */
  get timedOut(): boolean {
    const signal = this.#controller.signal;
    return signal.aborted && signal.reason instanceof TimeoutSignal;
  }

  /** The error for a failure caused by this attempt's deadline. */
  timeoutError(cause: unknown): APITimeoutError {
    return new APITimeoutError(
      `${siteOf(this.#ctx)} timed out after ${this.#ms} ms; raise ${this.#budget} or check ` +
        "the network",
      { cause },
    );
  }

  explain(err: unknown): Error | undefined {
    if (this.timedOut) return this.timeoutError(err);
    if (this.#outer?.aborted) {
      return new APIUserAbortError(`${this.#ctx.operation} was aborted by the caller`, {
        cause: err,
      });
    }
    return undefined;
  }
}

/**
 * Per-attempt deadline. For non-streaming calls the deadline covers headers and body: in the
 * client it keeps running until the body has been read (`json()`, `text()`, … or `response.body`
 * to its end); used elsewhere, it reads the body inside the deadline into a new `Response`. For
 * streams it covers the time to headers, then the stream's own idle timeout takes over. An expired
 * deadline raises {@link APITimeoutError}, which `retry()` may retry. Without `timeoutMs`, the call's `timeoutMs` option (client default 600 000) applies.
 * `totalTimeoutMs` bounds the whole call, retries and their waits included.
 *
 * @example A 10 s deadline per attempt
 * ```ts
 * import { AzureOpenAI, timeout } from "@aoai/edge";
 * const client = new AzureOpenAI({
 *   endpoint: "https://my-res.openai.azure.com",
 *   apiKey: "key",
 *   middleware: [timeout({ timeoutMs: 10_000 })],
 * });
 * console.log(typeof client);
 * ```
 */
export function timeout(options: TimeoutOptions = {}): Middleware {
  const now = options.now ?? Date.now;
  const total = options.totalTimeoutMs;
  if (total !== undefined && (typeof total !== "number" || !(total > 0))) {
    throw new TypeError("timeout(): totalTimeoutMs must be a positive number of milliseconds");
  }
  // Identifies this layer's parked deadlines (see BodyDeadlines).
  const owner = {};
  return tagBuiltin(async function timeout(ctx, next) {
    // An earlier attempt's deadline that waited for its body: retry() has moved on, so end it.
    const parking = bodyDeadlines(ctx);
    parking?.endOwnedBy(owner);
    const perAttempt = options.timeoutMs ?? ctx.options.timeoutMs;
    let ms = perAttempt > 0 && Number.isFinite(perAttempt) ? perAttempt : Infinity;
    let budget = "timeoutMs";
    if (total !== undefined) {
      let deadline = callDeadline(ctx);
      if (deadline === undefined) {
        deadline = now() + total;
        ctx.state[DEADLINE_STATE_KEY] = deadline;
      }
      const left = Math.max(0, deadline - now());
      if (left < ms) {
        ms = left;
        budget = `totalTimeoutMs (${total} ms)`;
      }
    }
    // Beyond the longest timer (~24.8 days) means no deadline: such a timer would fire at once.
    if (ms > MAX_TIMER_MS) return next();
    if (ms <= 0) {
      throw new APITimeoutError(
        `${siteOf(ctx)} ran out of its totalTimeoutMs (${total} ms) before attempt ` +
          `${ctx.attempt}; raise totalTimeoutMs or check the network`,
      );
    }
    const outer = ctx.signal;
    const attempt = new AttemptDeadline(owner, ctx, ms, budget);
    ctx.signal = attempt.signal;
    // Set when the attempt's deadline outlives this layer: a parked body read or a stream.
    let handedOn = false;
    try {
      let response: Response;
      try {
        response = await next();
      } catch (err) {
        throw attempt.timedOut ? attempt.timeoutError(err) : err;
      }
      if (ctx.stream && response.ok) {
        // The stream keeps using this signal after we return: keep it linked to the caller's.
        // (An error's body is read like any other: under the deadline.)
        attempt.stopTimer();
        handedOn = true;
        return response;
      }
      // Statuses without a body cannot be rebuilt with one. (Reading `response.body` is avoided:
      // the getter makes Deno read the body through a JS stream instead of its fast path.)
      if (NULL_BODY_STATUSES.has(response.status)) return response;
      if (parking !== undefined) {
        // The client reads the body and ends the deadline then: no copy of the response.
        parking.park(attempt);
        handedOn = true;
        return response;
      }
      try {
        const body = await response.arrayBuffer();
        return new Response(body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      } catch (err) {
        throw attempt.explain(err) ?? err;
      }
    } finally {
      ctx.signal = outer;
      if (!handedOn) attempt.end();
    }
  }, "timeout");
}
