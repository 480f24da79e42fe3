import type { MiddlewareContext } from "./types.ts";

/** `ctx.state` key under which `timeout()` records the call's total deadline (epoch ms). */
export const DEADLINE_STATE_KEY = "aoai-edge.deadline";

/** Reads the call's total deadline (epoch ms) recorded by `timeout({ totalTimeoutMs })`. */
export function callDeadline(ctx: MiddlewareContext): number | undefined {
  const value = ctx.state[DEADLINE_STATE_KEY];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/**
 * `ctx.state` key of a {@link BodyDeadlines} the client puts there when it reads the body of
 * the response it gets (or hands it on). `timeout()` then parks the deadline of a non-stream
 * attempt there instead of buffering the body into a new `Response`; the client ends it once the
 * body was read.
 */
export const BODY_DEADLINES_STATE_KEY = "aoai-edge.bodyDeadlines";

/** A per-attempt deadline still running while the body is read. */
export interface ParkedDeadline {
  /** The layer that parked it (a `timeout()` instance), so it can end its own on a retry. */
  readonly owner: object;
  /** Stops the timer and unlinks the signals; safe to call more than once. */
  end(): void;
  /**
   * Maps an error thrown while the body was read: `APITimeoutError` when this deadline fired,
   * `APIUserAbortError` when the caller aborted, else `undefined`.
   */
  explain(err: unknown): Error | undefined;
}

/** Deadlines parked by `timeout()` until the client has read the body. */
export class BodyDeadlines {
  #parked: ParkedDeadline[] = [];

  /** Parks a deadline. */
  park(deadline: ParkedDeadline): void {
    this.#parked.push(deadline);
  }

  /** How many deadlines are parked. */
  get size(): number {
    return this.#parked.length;
  }

  /** Ends the deadlines `owner` parked (an earlier attempt's, when retry() goes again). */
  endOwnedBy(owner: object): void {
    const parked = this.#parked;
    if (parked.length === 0) return;
    this.#parked = parked.filter((d) => d.owner !== owner);
    for (const d of parked) if (d.owner === owner) d.end();
  }

  /** Ends every parked deadline. */
  endAll(): void {
    const parked = this.#parked;
    if (parked.length === 0) return;
    this.#parked = [];
    for (const d of parked) d.end();
  }

  /**
   * Ends every parked deadline after a failed body read and returns the error to throw for it
   * (see {@link ParkedDeadline.explain}), or `err`.
   */
  fail(err: unknown): unknown {
    let mapped: unknown;
    for (const d of this.#parked) mapped ??= d.explain(err);
    this.endAll();
    return mapped ?? err;
  }
}

/** The {@link BodyDeadlines} of a context, when the client offers one. */
export function bodyDeadlines(ctx: MiddlewareContext): BodyDeadlines | undefined {
  const value = ctx.state[BODY_DEADLINES_STATE_KEY];
  return value instanceof BodyDeadlines ? value : undefined;
}

const DEADLINES = Symbol("aoai-edge.bodyDeadlines");
const WATCHED = Symbol("aoai-edge.watchedBody");

/**
 * `body` read chunk by chunk under the deadlines: they end when it ends or is cancelled, and an
 * error because one fired is mapped (e.g. to `APITimeoutError`).
 */
function watchBody(
  body: ReadableStream<Uint8Array<ArrayBuffer>>,
  deadlines: BodyDeadlines,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          deadlines.endAll();
          controller.close();
        } else controller.enqueue(value);
      } catch (err) {
        controller.error(deadlines.fail(err));
      }
    },
    cancel(reason) {
      deadlines.endAll();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

function settle<T>(response: DeadlineResponse, read: Promise<T>): Promise<T> {
  const deadlines = response[DEADLINES];
  return read.then(
    (value) => {
      deadlines.endAll();
      return value;
    },
    (err) => {
      throw deadlines.fail(err);
    },
  );
}

/**
 * The body readers a response gets from {@link endDeadlinesOnRead}. Never constructed: a fetch
 * response is re-prototyped onto it, which costs less than a copy or per-instance properties.
 */
class DeadlineResponse extends Response {
  declare [DEADLINES]: BodyDeadlines;
  declare [WATCHED]: ReadableStream<Uint8Array<ArrayBuffer>> | null | undefined;

  override arrayBuffer(): Promise<ArrayBuffer> {
    return settle(this, super.arrayBuffer());
  }
  override blob(): Promise<Blob> {
    return settle(this, super.blob());
  }
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return settle(this, super.bytes());
  }
  override formData(): Promise<FormData> {
    return settle(this, super.formData());
  }
  override json(): Promise<unknown> {
    return settle(this, super.json());
  }
  override text(): Promise<string> {
    return settle(this, super.text());
  }
  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    let body = this[WATCHED];
    if (body === undefined) {
      body = super.body;
      const deadlines = this[DEADLINES];
      if (body === null) deadlines.endAll();
      else body = watchBody(body, deadlines);
      this[WATCHED] = body;
    }
    return body;
  }
  override clone(): Response {
    this[DEADLINES].endAll();
    return super.clone();
  }
}

/**
 * Makes the body readers of `response` (`json()`, `text()`, `arrayBuffer()`, `bytes()`, `blob()`,
 * `formData()`) end the parked deadlines once the body was read, and map a read that failed
 * because a deadline fired (or the caller aborted). `response.body` becomes a stream that ends
 * them when it ends (or is cancelled); `clone()` ends them at once. The response is not copied
 * (it stays a `Response`, and `json()` keeps fetch's fast path).
 */
export function endDeadlinesOnRead(response: Response, deadlines: BodyDeadlines): void {
  if (deadlines.size === 0) return;
  const hooked = response as DeadlineResponse;
  hooked[DEADLINES] = deadlines;
  Object.setPrototypeOf(hooked, DeadlineResponse.prototype);
}
