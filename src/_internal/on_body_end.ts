// Hooks on the end of a body the client hands on (not exported from mod.ts).
import { APIConnectionError, APITimeoutError, APIUserAbortError } from "../errors/api_error.ts";
import { MAX_TIMER_MS } from "../middleware/_alarm_clock.ts";
import { onAbort } from "../middleware/_abort.ts";

// Keys of the hooks set on a response: private to this module, so without descriptions.
const DONE = Symbol();
const START = Symbol();
const WATCHED = Symbol();
const GUARD = Symbol();
const RESPONSE = Response.prototype;

/** `done` of a response; once called, later calls do nothing. */
type Done = (err?: unknown) => unknown;

/**
 * What an {@link onBodyEnd} response reads with. Never constructed: the response is
 * re-prototyped onto it, which costs far less than a copy or a wrapping stream (~0.7 µs against
 * tens of µs in Deno), and `json()` or `text()` keep fetch's fast path.
 */
class Watched extends Response {
  declare [DONE]: Done;
  /** Runs (once) when the body is first touched: a read method or `body`. */
  declare [START]: (() => void) | undefined;
  declare [WATCHED]: ReadableStream<Uint8Array<ArrayBuffer>> | null | undefined;
  /**
   * Guards each read of the body ({@link unlinkOnEnd}): armed with what fails the body (its hooks
   * get the error, the rest is cancelled), it returns what disarms it once the read settled.
   */
  declare [GUARD]: ((fail: (err: unknown) => void) => () => void) | undefined;

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    const source = super.body;
    // Read already (json(), text(), …): the used stream, as a plain response gives it.
    if (source?.locked && !this[WATCHED]) return source;
    if (this[WATCHED] === undefined) {
      started(this);
      const reader = source?.getReader();
      // Looked up when the body ends: a hook added after this still runs.
      const done: Done = (err) => this[DONE](err);
      const guard = this[GUARD];
      if (!reader) done();
      let fail: (err: unknown) => void;
      // The body as it was, one read at a time, calling `done` once it ends, fails or is cancelled.
      // Not a byte stream, so a BYOB reader throws here: `type: "bytes"` works in Deno, Node 20,
      // Bun and workerd, but must copy each chunk (enqueue would detach the source's buffer) and
      // cost 1.3-3.5 µs more per chunk on ChatCompletionStream's ~6-8 µs in Deno (in memory).
      this[WATCHED] = reader
        ? new ReadableStream({
          start(controller) {
            fail = (err) => {
              controller.error(done(err) ?? err);
              reader.cancel(err).catch(() => {});
            };
          },
          async pull(controller) {
            const disarm = guard?.(fail);
            try {
              const { done: ended, value } = await reader.read();
              if (ended) {
                done();
                controller.close();
              } else controller.enqueue(value);
            } catch (err) {
              fail(err);
            } finally {
              disarm?.();
            }
          },
          cancel(reason) {
            done();
            return reader.cancel(reason);
          },
        }, { highWaterMark: 0 })
        : null;
    }
    return this[WATCHED];
  }

  override clone(): Response {
    this[DONE]();
    return super.clone();
  }
}

for (const name of ["arrayBuffer", "blob", "bytes", "formData", "json", "text"] as const) {
  const read = RESPONSE[name] as (this: Response) => Promise<unknown>;
  if (read) {
    (Watched.prototype as unknown as Record<string, unknown>)[name] = function (this: Watched) {
      // A guarded body is read through `body` (this class's: not a middleware's own), under it.
      const watched = this[GUARD] && !this.bodyUsed ? BODY.call(this) : this[WATCHED];
      // Body taken (that stream calls done) or read already: as a plain response, no hooks (a
      // "body used" error is neither the body's end nor the caller's abort).
      if (watched !== undefined || this.bodyUsed) {
        return watched && !watched.locked ? new Response(watched, this)[name]() : read.call(this);
      }
      started(this);
      return read.call(this).then((value) => {
        this[DONE]();
        return value;
      }, (err) => {
        throw this[DONE](err) ?? err;
      });
    };
  }
}

const BODY = Object.getOwnPropertyDescriptor(Watched.prototype, "body")!.get!;

/** Runs and drops the start hook of `response`, if any. */
function started(response: Watched): void {
  const start = response[START];
  response[START] = undefined;
  start?.();
}

/** Statuses whose responses never have a body: nothing to wait for. */
export const NULL_BODY_STATUSES: readonly number[] = [101, 103, 204, 205, 304];

/**
 * `response` (the same object) with `done` called once its body was read (`json()`, `text()`,
 * `arrayBuffer()`, `bytes()`, `blob()`, `formData()`), failed reading (with the error; what
 * `done` returns, if anything, is the error the reader gets), ended or was cancelled through
 * `response.body`; `clone()` calls it at once. `start`, when given, runs once when the body is
 * first touched (a read method or `body`). Hooks add up: on a response hooked before (by a
 * middleware, say), both run, the later first; the earlier one gets the error as the later one
 * made it (so a middleware sees the typed error the caller gets), and its own, if any, wins.
 */
export function onBodyEnd(
  response: Response,
  done: (err?: unknown) => unknown,
  start?: () => void,
): Response {
  if (NULL_BODY_STATUSES.includes(response.status)) {
    done();
    return response;
  }
  let called = false;
  const hooked = response as Watched;
  const once: Done = (err) => called ? undefined : (called = true, done(err));
  const earlier = hooked[DONE];
  hooked[DONE] = earlier
    ? (err) => {
      const mine = once(err);
      return earlier(mine ?? err) ?? mine;
    }
    : once;
  if (start) {
    const before = hooked[START];
    hooked[START] = before ? () => (before(), start()) : start;
  }
  return Object.setPrototypeOf(hooked, Watched.prototype);
}

/**
 * Unlinks and aborts (so cancels) a body dropped unread once its response is collected (a
 * stream's too: the stream, the hooked body and its readers hold it): a long-lived signal would
 * keep its listener, and through it the call's controller and fetch, per dropped call. What it
 * runs must not reach that response (it would never be collected). A runtime may never run it: the signal keeps the link then.
 */
export const DROPPED: FinalizationRegistry<() => void> = new FinalizationRegistry((gone) => gone());

/**
 * The response with `unlink` called once its body ends, fails or is cancelled: the caller's
 * signal keeps aborting the body until then, and keeps no listener afterwards. With `controller`
 * (the call's) and a signal, the response is also unlinked, and its call aborted, once collected
 * ({@link DROPPED}). With `ms` (streamIdleTimeoutMs), reads of an ok response fail with
 * `APITimeoutError`, and cancel the rest, when one waits longer; a stream call's (`controller`)
 * fail with `APIUserAbortError` once `signal` aborts, even when fetch ignored it or the data had
 * arrived. Such a body is read through one stream, read methods too.
 */
export function unlinkOnEnd(
  response: Response,
  signal: AbortSignal | undefined,
  unlink: () => void,
  operation: string,
  ms?: number,
  controller?: AbortController,
): Response {
  const timed = ms! > 0 && ms! <= MAX_TIMER_MS;
  // Only a linked call (a signal, and a stream's controller) has something to let go.
  // (A body read to its end is left registered: aborting its call then does nothing.)
  if (signal && controller) DROPPED.register(response, () => (unlink(), controller.abort()));
  const hooked = onBodyEnd(response, (err) => {
    unlink();
    // The caller's abort, and a connection cut mid-body (fetch's TypeError), reach the reader as
    // the typed errors the resources' own reads give.
    if (err !== undefined && signal?.aborted) {
      return new APIUserAbortError(`${operation} was aborted by the caller`, { cause: err });
    }
    if (err instanceof TypeError) {
      return new APIConnectionError(`${operation} lost the connection reading the response`, {
        cause: err,
      });
    }
  }) as Watched;
  // Only while a read waits: a body dropped between reads holds no listener on the signal.
  if (response.ok && (timed || controller && signal)) {
    hooked[GUARD] = (fail) => {
      const timer = timed
        ? setTimeout(
          () =>
            fail(new APITimeoutError(`${operation}: no chunk in ${ms} ms (streamIdleTimeoutMs)`)),
          ms,
        )
        : undefined;
      const unhook = onAbort(signal, () => fail(signal!.reason));
      return () => (clearTimeout(timer), unhook());
    };
  }
  return hooked;
}
