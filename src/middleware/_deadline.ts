import type { MiddlewareContext } from "./types.ts";

/** `ctx.state` key under which `timeout()` records the call's total deadline (epoch ms). */
export const DEADLINE_STATE_KEY = "aoai-edge.deadline";

/** Reads the call's total deadline (epoch ms) recorded by `timeout({ totalTimeoutMs })`. */
export function callDeadline(ctx: MiddlewareContext): number | undefined {
  const value = ctx.state[DEADLINE_STATE_KEY];
  return Number.isFinite(value) ? value as number : undefined;
}

/**
 * `ctx.state` key of the array where `timeout()` parks the deadline of a non-stream attempt
 * instead of buffering the body into a new `Response`, when the client put one there: the client
 * reads the body (or hands it on) and ends the parked deadlines once it was read.
 */
export const PARKED_STATE_KEY = "aoai-edge.parkedDeadlines";

/** A per-attempt deadline still running while the body is read. */
export interface ParkedDeadline {
  /** The layer that parked it (a `timeout()` instance), so it can end its own on a retry. */
  readonly owner: object;
  /** Stops the timer and unlinks the signals; safe to call more than once. */
  end(): void;
  /**
   * Stops the timer and unlinks the caller's signal but keeps the deadline: a body nobody reads
   * then holds no timer (which would keep the process alive) and no listener (which a long-lived
   * signal would keep). {@link ParkedDeadline.resume} sets both again, the timer at the same time.
   */
  pause(): void;
  /** Sets the paused timer again; fires at once when the deadline has passed meanwhile. */
  resume(): void;
  /**
   * Maps an error thrown while the body was read: `APITimeoutError` when this deadline fired,
   * `APIUserAbortError` when the caller aborted, else `undefined`.
   */
  explain(err: unknown): Error | undefined;
}

function parked(state: Record<string, unknown>): ParkedDeadline[] | undefined {
  const list = state[PARKED_STATE_KEY];
  return Array.isArray(list) ? list : undefined;
}

/** Parks `deadline` when the client offers a place for it; false otherwise. */
export function park(state: Record<string, unknown>, deadline: ParkedDeadline): boolean {
  return !!parked(state)?.push(deadline);
}

/** Ends the parked deadlines (only `owner`'s, when given: an earlier attempt's, on a retry). */
export function endParked(state: Record<string, unknown>, owner?: object): void {
  const list = parked(state) ?? [];
  for (let i = list.length; i--;) {
    const d = list[i];
    if (owner === undefined || d.owner === owner) {
      list.splice(i, 1);
      d.end();
    }
  }
}

/** Pauses (`true`) or resumes the timers of the parked deadlines. */
export function pauseParked(state: Record<string, unknown>, pause: boolean): void {
  for (const d of parked(state) ?? []) pause ? d.pause() : d.resume();
}

/**
 * Ends every parked deadline after a failed body read and returns the error to throw for it
 * (see {@link ParkedDeadline.explain}), or `err`.
 */
export function failParked(state: Record<string, unknown>, err: unknown): unknown {
  let mapped: Error | undefined;
  for (const d of parked(state) ?? []) mapped ??= d.explain(err);
  endParked(state);
  return mapped ?? err;
}
