import {
  APIConnectionError,
  type APIErrorInit,
  APITimeoutError,
  APIUserAbortError,
  AzureOpenAIError,
} from "../errors/api_error.ts";
import { isRecord } from "../errors/_is_record.ts";
import { describeSite, errorFromBody, requestIdOf } from "../errors/from_response.ts";
import { ServerSentEventParser } from "../sse/parser.ts";
import type { StreamOptions } from "./stream_options.ts";

/**
 * Options of a typed stream: `operation` defaulted, every chunk added to `accumulator` before
 * it reaches the caller's own `onChunk`.
 */
export function feeding<T>(
  options: StreamOptions<T>,
  operation: string,
  accumulator: { add(chunk: T): void },
): StreamOptions<T> {
  const onChunk = options.onChunk;
  return {
    ...options,
    operation: options.operation ?? operation,
    onChunk: (chunk) => {
      accumulator.add(chunk);
      onChunk?.(chunk);
    },
  };
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const encoder = new TextEncoder();

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

  // The stream's state lives in constructor locals shared by these closures.
  #next: () => Promise<IteratorResult<T>>;
  #pull: (controller: ReadableStreamDefaultController<Uint8Array>) => Promise<void>;
  #done: () => Promise<void>;
  #cancel: (reason?: unknown) => Promise<void>;

  /**
   * Wraps a response whose body is `text/event-stream` (call it after checking the
   * status is 2xx; it does not read anything until you iterate).
   *
   * @param response The upstream response.
   * @param options See {@linkcode StreamOptions}.
   */
  constructor(response: Response, options: StreamOptions<T> = {}) {
    this.response = response;
    const controller = this.controller = options.controller ?? new AbortController();
    const { signal } = controller;
    const outside = options.signal;
    const onChunk = options.onChunk;
    const idle = options.idleTimeoutMs ?? 0;
    const ms = idle > 0 && idle < Infinity ? idle : 0;
    const operation = options.operation ?? "stream";
    const url = response.url || undefined;
    const where = describeSite({ operation, url });
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    /** Parsed chunks not yet consumed start at `head`; `raw` holds their `data` text. */
    const queue: T[] = [];
    const raw: string[] = [];
    let head = 0;
    let chunks = 0;
    let pulling: Promise<void> | undefined;
    let sawDone = false;
    /** No more reads: [DONE], end of body, error, abort or cancel. */
    let ended = false;
    let error: AzureOpenAIError | undefined;

    const err = <E>(
      Kind: new (message: string, init: APIErrorInit) => E,
      what: string,
      cause?: unknown,
    ): E =>
      new Kind(`${where} stream ${what}`, {
        cause,
        requestId: requestIdOf(response.headers),
      });

    /** Stops reading: unhooks the signals and cancels the body if it is still open. */
    const end = (reason?: unknown): Promise<void> | undefined => {
      ended = true;
      outside?.removeEventListener("abort", onOutsideAbort);
      signal.removeEventListener("abort", onAbort);
      return (reader ?? response.body)?.cancel(reason).catch(() => {});
    };
    /** Records the error (unless the stream is already over), stops reading, cancels the body. */
    const fail = (e: AzureOpenAIError): void => {
      if (!ended) end(error = e);
    };
    const endedEarly = (): void =>
      fail(
        err(
          APIConnectionError,
          `ended before [DONE] after ${chunks} chunks; retry the request`,
        ),
      );
    // The caller aborted (or the idle timeout did, in which case its error is kept).
    const onAbort = (): void =>
      fail(
        signal.reason instanceof APITimeoutError
          ? signal.reason
          : err(APIUserAbortError, "was aborted by the caller", signal.reason),
      );
    const onOutsideAbort = (): void => controller.abort(outside?.reason);

    /** The typed error for an `event: error` payload or a chunk with an `error` member. */
    const payloadError = (data: string): AzureOpenAIError => {
      let body: unknown = data;
      try {
        body = JSON.parse(data);
      } catch { /* keep the text */ }
      const error = isRecord(body) ? isRecord(body.error) ? body.error : body : {};
      const code = String(error.code);
      return errorFromBody(
        typeof error.status === "number"
          ? error.status
          : /^[45]\d\d$/.test(code)
          ? +code
          : error.type === "server_error"
          ? 500
          : undefined,
        body,
        { operation: `${operation} stream`, url },
        response.headers,
      );
    };

    const parser = new ServerSentEventParser(({ event, data }) => {
      if (ended || sawDone) return;
      if (event === "error") return fail(payloadError(data));
      if (event !== "message" || !data) return;
      if (data === "[DONE]") {
        sawDone = true;
        return;
      }
      let chunk: T & { error?: unknown };
      try {
        chunk = JSON.parse(data);
      } catch (cause) {
        return fail(
          err(
            AzureOpenAIError,
            `event is not JSON (${data.slice(0, 120)}); is the endpoint an Azure OpenAI ` +
              "deployment?",
            cause,
          ),
        );
      }
      if (chunk?.error != null) return fail(payloadError(data));
      chunks++;
      onChunk?.(chunk);
      queue.push(chunk);
      raw.push(data);
    }, { maxBufferSize: options.maxBufferSize });

    /** Reads one piece of the body and parses it. */
    const read = async (): Promise<void> => {
      if (!reader) {
        const body = response.body;
        if (!body) return endedEarly();
        if (body.locked) {
          throw new TypeError(
            `${where}: the response body is already in use; create one stream per response`,
          );
        }
        reader = body.getReader();
      }
      const timer = ms &&
        setTimeout(() => {
          if (ended) return;
          const e = err(
            APITimeoutError,
            `got nothing for ${ms} ms after ${chunks} chunks; retry or raise idleTimeoutMs`,
          );
          fail(e);
          controller.abort(e);
        }, ms);
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (cause) {
        return signal.aborted ? onAbort() : fail(
          err(
            APIConnectionError,
            `broke after ${chunks} chunks (${cause}); retry the request`,
            cause,
          ),
        );
      } finally {
        clearTimeout(timer);
      }
      if (ended) return; // failed, aborted, timed out or cancelled while reading
      const { done, value } = result;
      if (done) return endedEarly();
      try {
        parser.feed(value);
      } catch (cause) {
        fail(err(AzureOpenAIError, `could not be processed: ${cause}`, cause));
      }
      if (sawDone) end();
    };

    /**
     * Resolves to true once a chunk is queued, to false when the stream is over, or rejects with
     * its error (after the chunks that came before it).
     */
    const ready = async (): Promise<boolean> => {
      for (;;) {
        if (head < queue.length) return true;
        if (head) queue.length = raw.length = head = 0;
        if (error) throw error;
        if (ended) return false;
        // Concurrent callers share one read.
        if (pulling) await pulling;
        else {
          try {
            await (pulling = read());
          } finally {
            pulling = undefined;
          }
        }
      }
    };

    const take = (): IteratorResult<T> => ({ value: queue[head++], done: false });
    // A queued chunk is returned without an async function's overhead.
    this.#next = () =>
      head < queue.length ? Promise.resolve(take()) : ready().then((more) => more ? take() : DONE);
    this.#pull = async (stream) => {
      if (await ready()) {
        let text = "";
        while (head < queue.length) text += `data: ${raw[head++]}\n\n`;
        stream.enqueue(encoder.encode(text));
      } else {
        if (sawDone) stream.enqueue(encoder.encode("data: [DONE]\n\n"));
        stream.close();
      }
    };
    this.#done = async () => {
      while (await ready()) head = queue.length;
      if (!sawDone) {
        throw err(APIUserAbortError, "was cancelled before [DONE]; the result is incomplete");
      }
    };
    this.#cancel = async (reason) => {
      if (!ended) await end(reason);
    };

    if (outside?.aborted) onOutsideAbort();
    else outside?.addEventListener("abort", onOutsideAbort);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort);
  }

  /** Iterates the parsed chunks; breaking out of the loop cancels the body. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: this.#next,
      return: async (): Promise<IteratorResult<T>> => {
        await this.#cancel();
        return DONE;
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
    return new ReadableStream({ pull: this.#pull, cancel: this.#cancel }, { highWaterMark: 0 });
  }

  /**
   * Consumes the rest of the stream, discarding chunks (they still reach `onChunk`).
   * Resolves at `[DONE]`; rejects with the stream's error.
   */
  done(): Promise<void> {
    return this.#done();
  }

  /** Cancels the body and ends iteration; safe to call at any time. */
  abort(): void {
    this.controller.abort();
  }
}
