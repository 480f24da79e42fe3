// Hooks on the end of a body the client hands on (not exported from mod.ts).
import { APIConnectionError, APITimeoutError, APIUserAbortError } from "../errors/api_error.ts";
import { MAX_TIMER_MS } from "../middleware/_alarm_clock.ts";
import { onAbort } from "../middleware/_abort.ts";

/**
 * `done` of a response; once called, later calls do nothing. A read method that read the body
 * passes `read` (its name) and its `value`; a cancel of `body` passes `read` "cancel" and the
 * reason as `value`.
 */
type Done = (err?: unknown, read?: string, value?: unknown) => unknown;

/** The hooks of a response, in a private field (no own property shows: keys, spread, inspect). */
interface Hooks {
  done: Done;
  /** Runs (once) when the body is first read: a read method, or a read of `body`. */
  start?: () => void;
  /** Sees each chunk read through `body`. */
  see?: (chunk: Uint8Array) => void;
  /** What `body` handed out, once looked at (a body there is). */
  body?: ReadableStream<Uint8Array<ArrayBuffer>>;
  /**
   * Guards each read of the body ({@link unlinkOnEnd}): armed with what fails the body (its hooks
   * get the error, the rest is cancelled), it returns what disarms it once the read settled.
   */
  guard?: (fail: (err: unknown) => void) => () => void;
  /** The response a clone() came from, held as long as the clone (its body, a reader) is. */
  keep?: Response;
}

let hooksOf: (response: object) => Hooks | undefined;

/**
 * Returns the object it is given, so that a subclass's private fields land on that object
 * (`new Sub(object)`): ~0.04 µs, where a defined (non-enumerable) property costs ~0.3 µs, and
 * nothing shows (keys, spread, inspect).
 */
export class Stamp {
  constructor(object: object) {
    return object;
  }
}

/** `new Hooked(response)` gives `response` its hooks. */
class Hooked extends Stamp {
  #hooks = {} as Hooks;
  static {
    hooksOf = (response) => #hooks in response ? (response as Hooked).#hooks : undefined;
  }
}

/**
 * What an {@link onBodyEnd} response reads with. Never constructed: the response is
 * re-prototyped onto it, which costs far less than a copy or a wrapping stream (~0.7 µs against
 * tens of µs in Deno), and `json()` or `text()` keep fetch's fast path.
 */
class Watched extends Response {
  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    const hooks = hooksOf(this)!;
    if (hooks.body !== undefined) return hooks.body;
    const source = super.body;
    // No body: nothing to wait for (done is called once: a read method's call does nothing).
    if (!source) hooks.done();
    // Read already (json(), text(), …): the used stream, as a plain response gives it.
    if (!source || source.locked) return source;
    let reader: ReadableStreamDefaultReader<Uint8Array<ArrayBuffer>> | undefined;
    let fail: (err: unknown) => void;
    // The body as it was, one read at a time, calling `done` once it ends, fails or is cancelled
    // (looked up then: a hook added after this still runs). The response's own stream is taken
    // at the first read (after a clone(), the branch it kept): looking at `body` (inspecting it)
    // starts nothing and clone() still works. Not a byte stream, so a BYOB reader throws here:
    // `type: "bytes"` works in Deno, Node 20, Bun and workerd, but must copy each chunk (enqueue
    // would detach the source's buffer) and cost 1.3-3.5 µs more per chunk on
    // ChatCompletionStream's ~6-8 µs in Deno (in memory).
    return hooks.body = new ReadableStream({
      start: (controller) => {
        fail = (err) => {
          controller.error(hooks.done(err) ?? err);
          reader?.cancel(err).catch(() => {});
        };
      },
      pull: async (controller) => {
        let disarm: (() => void) | undefined;
        try {
          if (!reader) {
            started(hooks);
            reader = super.body!.getReader();
          }
          // Armed once there is a reader: an abort before the first read cancels the source too.
          disarm = hooks.guard?.(fail);
          const { done: ended, value } = await reader.read();
          if (ended) {
            hooks.done();
            controller.close();
          } else {
            controller.enqueue(value);
            hooks.see?.(value);
          }
        } catch (err) {
          fail(err);
        } finally {
          disarm?.();
        }
      },
      cancel: (reason) => {
        hooks.done(undefined, "cancel", reason);
        return (reader ?? super.body!).cancel(reason);
      },
    }, { highWaterMark: 0 });
  }

  /** The response's own clone(): its body follows the response, not the clone (no `done`). */
  override clone(): Response {
    // Refused once `body` is being read, as a plain response's (whose own stream is taken then).
    if (hooksOf(this)!.body?.locked) throw new TypeError("Body is unusable");
    // Hooked too (to nothing), so that what reads the copy (its body, a reader of that) keeps this
    // response, whose collection would abort the call, and so cut the copy ({@link DROPPED}).
    const copy = onBodyEnd(super.clone(), () => {});
    hooksOf(copy)!.keep = this;
    return copy;
  }
}
// Looks like a plain response: inspecting it shows `Response {…}`.
Watched.prototype.constructor = Response;

for (const name of ["arrayBuffer", "blob", "bytes", "formData", "json", "text"] as const) {
  const read = Response.prototype[name] as (this: Response) => Promise<unknown>;
  if (read) {
    (Watched.prototype as unknown as Record<string, unknown>)[name] = function (this: Watched) {
      const hooks = hooksOf(this)!;
      // A guarded body is read through `body` (this class's: not a middleware's own), under it.
      const body = hooks.guard && !this.bodyUsed
        ? Reflect.get(Watched.prototype, "body", this)
        : hooks.body;
      // Body handed out (read through it: it calls done; refused once locked or read, as a plain
      // response refuses) or read already: as a plain response, no hooks (a "body used" error is
      // neither the body's end nor the caller's abort).
      if (body) return new Promise((ok) => ok(new Response(body, this)[name]()));
      if (this.bodyUsed) return read.call(this);
      started(hooks);
      return read.call(this).then((value) => {
        hooks.done(undefined, name, value);
        return value;
      }, (err) => {
        throw hooks.done(err) ?? err;
      });
    };
  }
}

/** Runs and drops the start hook of `hooks`, if any. */
function started(hooks: Hooks): void {
  const start = hooks.start;
  hooks.start = undefined;
  start?.();
}

/** Statuses whose responses never have a body: nothing to wait for. */
export const NULL_BODY_STATUSES: readonly number[] = [101, 103, 204, 205, 304];

/**
 * `response` (the same object) with `done` called once its body was read (`json()`, `text()`,
 * `arrayBuffer()`, `bytes()`, `blob()`, `formData()`), failed reading (with the error; what
 * `done` returns, if anything, is the error the reader gets), ended or was cancelled through
 * `response.body`; a `clone()` is not followed (the response's body still is). `start`, when
 * given, runs once when the body is first read (a read method, or a read of `body`: looking at
 * it is none). `see`, when given, sees each chunk read through `body` (one per response: the
 * last given). Hooks add up: on a response hooked before (by a middleware, say), both run, the
 * later first; the earlier one gets the error as the later one made it (so a middleware sees the
 * typed error the caller gets), and its own, if any, wins.
 */
export function onBodyEnd(
  response: Response,
  done: Done,
  start?: () => void,
  see?: (chunk: Uint8Array) => void,
): Response {
  if (NULL_BODY_STATUSES.includes(response.status)) {
    done();
    return response;
  }
  let called = false;
  const once: Done = (err, read, value) =>
    called ? undefined : (called = true, done(err, read, value));
  let hooks = hooksOf(response);
  if (hooks) {
    const earlier = hooks.done;
    hooks.done = (err, read, value) => {
      const mine = once(err, read, value);
      return earlier(mine ?? err, read, value) ?? mine;
    };
  } else (hooks = hooksOf(new Hooked(response))!).done = once;
  if (start) {
    const before = hooks.start;
    hooks.start = before ? () => (before(), start()) : start;
  }
  if (see) hooks.see = see;
  return Object.setPrototypeOf(response, Watched.prototype);
}

/**
 * Unlinks and aborts (so cancels) a body dropped unread once its response is collected (a
 * stream's too: the stream, the hooked body and its readers hold it): a long-lived signal would
 * keep its listener, and through it the call's controller and fetch, per dropped call. What it
 * runs must not reach that response (it would never be collected). A runtime may never run it: the signal keeps the link then.
 */
export const DROPPED: FinalizationRegistry<() => void> = new FinalizationRegistry((gone) => gone());

/**
 * What {@link DROPPED} runs for a call: made here, so that it holds only these two (a closure
 * made in {@link unlinkOnEnd} would hold its whole scope, the signal too, whose reason, an error
 * made while reading, holds the reader through its call sites, and so the response).
 */
const dropped = (unlink: () => void, controller: AbortController) => () => (
  unlink(), controller.abort()
);

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
  if (signal && controller) DROPPED.register(response, dropped(unlink, controller));
  const hooked = onBodyEnd(response, (err) => {
    unlink();
    // The caller's abort, and a connection cut mid-body (a TypeError in Deno, Node and Bun, a
    // plain Error in workerd: "Network connection lost."), reach the reader as the typed errors
    // the resources' own reads give (one typed already, json()'s SyntaxError or an AbortError is
    // left as it is).
    if (err !== undefined && signal?.aborted && !(err instanceof APIUserAbortError)) {
      return new APIUserAbortError(`${operation} was aborted by the caller`, { cause: err });
    }
    if (err instanceof TypeError || (err as Error)?.constructor == Error) {
      return new APIConnectionError(`${operation} lost the connection reading the response`, {
        cause: err,
      });
    }
  });
  // Only while a read waits: a body dropped between reads holds no listener on the signal.
  if (response.ok && (timed || controller && signal)) {
    hooksOf(hooked)!.guard = (fail) => {
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
