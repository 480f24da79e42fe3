import type { AzureOpenAIError } from "../errors/api_error.ts";
import { ServerSentEventParser } from "../sse/parser.ts";
import type { ServerSentEvent } from "../sse/server_sent_event.ts";
import {
  abortError,
  brokenError,
  cancelledError,
  endedEarlyError,
  idleError,
  lockedBodyError,
  notJsonError,
  payloadError,
  type StreamSite,
  unparsableError,
} from "./_stream_errors.ts";
import type { StreamOptions } from "./stream_options.ts";

const DONE_RESULT: IteratorReturnResult<undefined> = Object.freeze({
  done: true,
  value: undefined,
}) as IteratorReturnResult<undefined>;
const encoder = new TextEncoder();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A typed, async-iterable view of an Azure OpenAI `text/event-stream` response: each
 * `data:` event is parsed as JSON and yielded; `data: [DONE]` ends it.
 *
 * - An `event: error` event, or a payload with an `error` member, throws the typed
 *   error (`errorFromBody`), after the chunks that came before it.
 * - A body that ends before `[DONE]` throws `APIConnectionError`; a body that breaks
 *   throws `APIConnectionError` with the failure as `cause`.
 * - Aborting `controller` (or `signal`) throws `APIUserAbortError` and cancels the body;
 *   `idleTimeoutMs` without data throws `APITimeoutError`.
 * - Leaving a `for await` loop early (`break`, `return`, a throw) cancels the body.
 *
 * The stream is consumed once: iterators and `toReadableStream()` share one cursor.
 *
 * @typeParam T The chunk type.
 *
 * @example Iterating a stream built from a Response
 * ```ts
 * import { Stream } from "./mod.ts";
 *
 * const response = new Response('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n');
 * for await (const chunk of new Stream<{ n: number }>(response)) console.log(chunk.n);
 * ```
 */
export class Stream<T> implements AsyncIterable<T> {
  /** The upstream response (status, headers such as `apim-request-id`). */
  readonly response: Response;
  /** Aborting this controller cancels the request and the body. */
  readonly controller: AbortController;

  #parser: ServerSentEventParser;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined = undefined;
  #queue: T[] = [];
  #head = 0;
  /** Raw `data` of queued chunks, kept only once `toReadableStream()` was called. */
  #raw: Array<string | undefined> | undefined = undefined;
  #pulling: Promise<void> | undefined = undefined;
  #sawDone = false;
  /** No more reads: [DONE], end of body, error, abort or cancel. */
  #ended = false;
  #cancelled = false;
  #error: AzureOpenAIError | undefined = undefined;
  #chunks = 0;
  #idleMs: number | undefined;
  #site: StreamSite;
  #onChunk: ((chunk: T) => void) | undefined;
  #unlink: (() => void) | undefined;

  /**
   * Wraps a response whose body is `text/event-stream` (call it after checking the
   * status is 2xx; it does not read anything until you iterate).
   *
   * @param response The upstream response.
   * @param options See {@linkcode StreamOptions}.
   */
  constructor(response: Response, options: StreamOptions<T> = {}) {
    this.response = response;
    this.controller = options.controller ?? new AbortController();
    this.#idleMs = options.idleTimeoutMs !== undefined && options.idleTimeoutMs > 0 &&
        Number.isFinite(options.idleTimeoutMs)
      ? options.idleTimeoutMs
      : undefined;
    this.#site = { operation: options.operation ?? "stream", response };
    this.#onChunk = options.onChunk;
    this.#parser = new ServerSentEventParser((event) => this.#onEvent(event), {
      maxBufferSize: options.maxBufferSize,
    });
    const signal = this.controller.signal;
    const outside = options.signal;
    const onOutsideAbort = (): void => this.controller.abort(outside?.reason);
    const onAbort = (): void => this.#onAbort(signal.reason);
    if (outside?.aborted) this.controller.abort(outside.reason);
    else outside?.addEventListener("abort", onOutsideAbort, { once: true });
    this.#unlink = (): void => {
      outside?.removeEventListener("abort", onOutsideAbort);
      signal.removeEventListener("abort", onAbort);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  }

  /** Iterates the parsed chunks; breaking out of the loop cancels the body. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: (): Promise<IteratorResult<T>> => this.#next(),
      return: async (): Promise<IteratorResult<T>> => {
        await this.#cancel(undefined);
        return DONE_RESULT;
      },
    };
  }

  /**
   * Re-emits the (remaining) chunks as a `text/event-stream` body: `data: {json}\n\n`
   * per chunk, then `data: [DONE]\n\n`; suitable for `new Response(stream)`. An upstream
   * error errors the returned stream; cancelling it cancels the upstream body.
   *
   * @example Proxying a stream to a client
   * ```ts
   * import { Stream } from "./mod.ts";
   *
   * const upstream = new Response('data: {"n":1}\n\ndata: [DONE]\n\n');
   * const proxied = new Response(new Stream(upstream).toReadableStream(), {
   *   headers: { "content-type": "text/event-stream" },
   * });
   * console.log(await proxied.text()); // 'data: {"n":1}\n\ndata: [DONE]\n\n'
   * ```
   */
  toReadableStream(): ReadableStream<Uint8Array> {
    if (this.#raw === undefined) this.#raw = new Array(this.#queue.length).fill(undefined);
    return new ReadableStream<Uint8Array>({
      pull: async (controller): Promise<void> => {
        for (;;) {
          if (this.#head < this.#queue.length) {
            let text = "";
            const raw = this.#raw!;
            for (; this.#head < this.#queue.length; this.#head++) {
              text += `data: ${raw[this.#head] ?? JSON.stringify(this.#queue[this.#head])}\n\n`;
            }
            controller.enqueue(encoder.encode(text));
            return;
          }
          this.#resetQueue();
          if (this.#error !== undefined) {
            controller.error(this.#error);
            return;
          }
          if (this.#sawDone) {
            this.#release();
            controller.enqueue(encoder.encode("data: [DONE]\n\n"));
            controller.close();
            return;
          }
          if (this.#ended) {
            controller.close();
            return;
          }
          await this.#pull();
        }
      },
      cancel: (reason): Promise<void> => this.#cancel(reason),
    }, { highWaterMark: 0 });
  }

  /**
   * Consumes the rest of the stream, discarding chunks (they still reach `onChunk`).
   * Resolves at `[DONE]`; rejects with the stream's error.
   */
  async done(): Promise<void> {
    for (;;) {
      this.#head = this.#queue.length;
      this.#resetQueue();
      if (this.#error !== undefined) throw this.#error;
      if (this.#sawDone) {
        this.#release();
        return;
      }
      if (this.#ended) {
        throw cancelledError(this.#site);
      }
      await this.#pull();
    }
  }

  /** Cancels the body and ends iteration; safe to call at any time. */
  abort(): void {
    this.controller.abort();
  }

  #next(): Promise<IteratorResult<T>> {
    if (this.#head < this.#queue.length) {
      return Promise.resolve({ value: this.#queue[this.#head++], done: false });
    }
    return this.#nextSlow();
  }

  async #nextSlow(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.#head < this.#queue.length) {
        return { value: this.#queue[this.#head++], done: false };
      }
      this.#resetQueue();
      if (this.#error !== undefined) throw this.#error;
      if (this.#sawDone) {
        this.#release();
        return DONE_RESULT;
      }
      if (this.#ended) return DONE_RESULT;
      await this.#pull();
    }
  }

  #resetQueue(): void {
    if (this.#head === this.#queue.length && this.#head > 0) {
      this.#queue.length = 0;
      this.#head = 0;
      if (this.#raw !== undefined) this.#raw.length = 0;
    }
  }

  /** Reads one piece of the body and parses it; concurrent callers share the read. */
  async #pull(): Promise<void> {
    if (this.#pulling !== undefined) return this.#pulling;
    const pulling = this.#pulling = this.#read();
    try {
      await pulling;
    } finally {
      this.#pulling = undefined;
    }
  }

  async #read(): Promise<void> {
    if (this.#ended) return;
    const reader = this.#reader ??= this.#open();
    if (reader === undefined) {
      this.#fail(endedEarlyError(this.#site, this.#chunks));
      return;
    }
    let result: ReadableStreamReadResult<Uint8Array>;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      if (this.#idleMs !== undefined) {
        const ms = this.#idleMs;
        timer = setTimeout(() => this.#onIdle(ms), ms);
      }
      result = await reader.read();
    } catch (cause) {
      if (this.#error === undefined) {
        this.#fail(
          this.controller.signal.aborted
            ? abortError(this.#site, this.controller.signal.reason)
            : brokenError(this.#site, this.#chunks, cause),
        );
      }
      return;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
    if (this.#ended) return; // aborted, timed out or cancelled while reading
    if (result.done) {
      this.#ended = true;
      this.#unhook();
      if (!this.#sawDone && this.#error === undefined) {
        this.#fail(endedEarlyError(this.#site, this.#chunks));
      }
      return;
    }
    try {
      this.#parser.feed(result.value);
    } catch (cause) {
      this.#fail(unparsableError(this.#site, cause));
    }
    if (this.#sawDone || this.#error !== undefined) this.#release();
  }

  #open(): ReadableStreamDefaultReader<Uint8Array> | undefined {
    const body = this.response.body;
    if (body === null) return undefined;
    if (body.locked) {
      throw lockedBodyError(this.#site);
    }
    return body.getReader();
  }

  #onEvent(event: ServerSentEvent): void {
    if (this.#sawDone || this.#error !== undefined) return;
    const data = event.data;
    if (event.event !== "message") {
      if (event.event === "error") this.#fail(payloadError(this.#site, data, true));
      return;
    }
    if (data === "[DONE]") {
      this.#sawDone = true;
      return;
    }
    if (data === "") return;
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch (cause) {
      this.#fail(notJsonError(this.#site, data, cause));
      return;
    }
    if (isRecord(chunk) && chunk.error !== undefined && chunk.error !== null) {
      this.#fail(payloadError(this.#site, chunk, false));
      return;
    }
    this.#chunks++;
    this.#onChunk?.(chunk as T);
    this.#queue.push(chunk as T);
    if (this.#raw !== undefined) this.#raw.push(data);
  }

  #onIdle(ms: number): void {
    if (this.#ended) return;
    const error = idleError(this.#site, ms, this.#chunks);
    this.#fail(error);
    this.controller.abort(error);
  }

  #onAbort(reason: unknown): void {
    if (this.#ended) return;
    this.#fail(abortError(this.#site, reason));
  }

  /** Records the first error, stops reading and cancels the body. */
  #fail(error: AzureOpenAIError): void {
    if (this.#error === undefined && !this.#cancelled) this.#error = error;
    this.#release(error);
  }

  /** Stops reading: cancels the body if it is still open and unhooks the signals. */
  #release(reason?: unknown): void {
    if (this.#ended && this.#unlink === undefined) return;
    this.#ended = true;
    this.#unhook();
    const reader = this.#reader;
    if (reader !== undefined) reader.cancel(reason).catch(() => {});
    else if (this.response.body !== null && !this.response.body.locked) {
      this.response.body.cancel(reason).catch(() => {});
    }
  }

  async #cancel(reason: unknown): Promise<void> {
    if (this.#ended) return;
    this.#cancelled = true;
    this.#ended = true;
    this.#unhook();
    const body = this.response.body;
    if (this.#reader !== undefined) await this.#reader.cancel(reason).catch(() => {});
    else if (body !== null && !body.locked) await body.cancel(reason).catch(() => {});
  }

  #unhook(): void {
    this.#unlink?.();
    this.#unlink = undefined;
  }
}
