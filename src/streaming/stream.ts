import {
  APIConnectionError,
  type APIErrorInit,
  APITimeoutError,
  APIUserAbortError,
  AzureOpenAIError,
} from "../errors/api_error.ts";
import { isRecord } from "../errors/_is_record.ts";
import { messageOf } from "../errors/_message_of.ts";
import {
  describeSite,
  errorFromBody,
  type ErrorSite,
  requestIdOf,
} from "../errors/from_response.ts";
import { ServerSentEventParser } from "../sse/parser.ts";
import type { ServerSentEvent } from "../sse/server_sent_event.ts";
import type { StreamOptions } from "./stream_options.ts";
import { MAX_TIMER_MS } from "../middleware/_alarm_clock.ts";
import { onAbort } from "../middleware/_abort.ts";
import { onBodyEnd, unlinkOnEnd } from "../_internal/on_body_end.ts";

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

/**
 * Reads the rest of `stream` (`done()`), then resolves to `accumulator.result()`: the final reply
 * of a typed stream. A stream that sent no chunk before `[DONE]` has no reply: that rejects with
 * `AzureOpenAIError`, as the SDK's `finalChatCompletion()` does. Not exported from mod.ts; set in
 * `Stream`'s static block, which reaches its private state.
 */
export let final: <T, R>(stream: Stream<T>, accumulator: { result(): R }) => Promise<R>;

/**
 * The body of `stream`, unread, to relay as it is (`asResponse()`): the stream reads no more (a
 * read throws `AzureOpenAIError` naming asResponse()); the caller's signal aborts the body until
 * it ends, fails or is cancelled, then its listener goes; `idleTimeoutMs` bounds each wait for a
 * chunk. A stream that began reading gives its response as it is, read or being read (as the
 * SDK's `asResponse()`), and reads on. Set in `Stream`'s static block, as `final`.
 */
export let relay: (stream: Stream<unknown>) => Response;

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
/** True while `tee()` builds its branches, which the shared controller must hold weakly. */
let teeing: boolean | undefined;
const encoder = new TextEncoder();
/** `data:` before the first line of a JSON-lines body, and a line's end and the next's start. */
const DATA = encoder.encode("data:"), NEXT = encoder.encode("\n\ndata:");
/**
 * The reason `abort()` and a consumer leaving early abort `controller` with: made here, not where
 * they are called, whose stack would hold the stream (its receiver), and through the controller's
 * signal, reachable from {@link DROPPED}'s callback, keep the response from being collected.
 * The chat event stream's `abort()` uses it for the same reason.
 * @internal
 */
export const LEFT = new DOMException("the stream was aborted", "AbortError");

/**
 * A typed, async-iterable view of an Azure OpenAI `text/event-stream` response: each
 * `data:` event is parsed as JSON and yielded; `data: [DONE]` ends it. A transcription's events
 * (named `transcript.*`) end with the body after `transcript.text.done`.
 *
 * - An `event: error` event, or a payload with an `error` member, throws the typed
 *   error (`errorFromBody`), after the chunks that came before it.
 * - A body that ends before `[DONE]` throws `APIConnectionError`; a body that breaks
 *   throws `APIConnectionError` with the failure as `cause` (a failure that is already an
 *   `AzureOpenAIError`, as in a stream rebuilt from `toReadableStream()`, is thrown as it is).
 * - Aborting `controller` (or `signal`) throws `APIUserAbortError` and cancels the body;
 *   `idleTimeoutMs` without data throws `APITimeoutError`.
 * - Leaving a `for await` loop early (`break`, `return`, a throw) cancels the body; reading on
 *   afterwards throws `APIUserAbortError` (after the chunks already parsed).
 *
 * The stream is consumed once: iterators and `toReadableStream()` share one cursor, and a loop
 * over a stream already read to its end throws (`tee()` gives two streams to read apart).
 *
 * @typeParam T The chunk type.
 *
 * @example Iterating a stream built from a Response
 * ```ts
 * import { Stream } from "@aoai/edge";
 *
 * const response = new Response('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n');
 * for await (const chunk of new Stream<{ n: number }>(response)) console.log(chunk.n); // 1, then 2
 * ```
 */
export class Stream<T> implements AsyncIterable<T> {
  /** The upstream response (status, headers such as `apim-request-id`). */
  declare readonly response: Response;
  /** Aborting this controller cancels the request and the body. */
  declare readonly controller: AbortController;

  #parser: ServerSentEventParser;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  /** Parsed chunks not yet consumed start at `#head`; `#raw` holds their `data` text. */
  #queue: T[] = [];
  #raw: string[] = [];
  #head = 0;
  #pulling: Promise<void> | undefined;
  /**
   * An iterator or `toReadableStream()` was handed out: `done()` leaves the queue to it. 2 once
   * `tee()` split the stream: a loop or relay of its own would take the branches' chunks.
   */
  #tapped: boolean | 2 | undefined;
  #sawDone: boolean | undefined;
  /**
   * True once a `transcript.text.done` event came (the body's end then ends the stream as `[DONE]`
   * does); false after other `transcript.*` events (a transcription: its cut names that event).
   */
  #final: boolean | undefined;
  /** The body ended: the parser gets the blank line that closes an unterminated last block. */
  #last: boolean | undefined;
  /** No more reads: [DONE], end of body, error, abort or cancel. */
  #ended: boolean | undefined;
  #error: AzureOpenAIError | undefined;
  #chunks = 0;
  /**
   * `idleTimeoutMs`, `onChunk`, `scrub` and `operation` (none for a stream built without one,
   * named "stream" alone then) are read from here.
   */
  #options: StreamOptions<T>;
  #unlink: () => void;
  /** With a caller's signal (a 2xx body), what fails a read of the body with the stream's error. */
  #guard: AbortController | undefined;
  /** A `tee()` branch: its controller is shared, so leaving it early does not abort it. */
  #branch = teeing;
  /** The body is JSON lines read as events (see `#pull`); `#whole` while its last line ended. */
  #lines: boolean | undefined;
  #whole: boolean | undefined;

  static {
    final = (stream, accumulator) =>
      stream.done().then(() => {
        if (stream.#chunks) return accumulator.result();
        throw stream.#err(AzureOpenAIError, "ended without sending any chunks");
      });
    relay = (stream) => {
      // Failed (aborted, timed out, cut) before anything was taken from it: no body to hand on.
      if (stream.#error && !stream.#tapped && !stream.#chunks) throw stream.#error;
      return stream.#reader ? stream.response : (
        stream.#ended = true,
          stream.#error ??= stream.#err(
            AzureOpenAIError,
            "was handed to asResponse()",
          ),
          // Under a caller's signal the body is guarded already (see the constructor): this adds
          // the idle timeout, if any, and maps errors as that guard's hook does.
          unlinkOnEnd(
            stream.response,
            stream.controller.signal,
            // Through the stream: the response keeps it (and its link) until its body ends.
            () => stream.#unlink(),
            stream.#options.operation ?? "stream",
            stream.#options.idleTimeoutMs,
          )
      );
    };
  }

  /**
   * Wraps a response whose body is `text/event-stream` (call it after checking the
   * status is 2xx; it does not read anything until you iterate).
   *
   * @param response The upstream response.
   * @param options See {@linkcode StreamOptions}.
   */
  constructor(response: Response, options: StreamOptions<T> = {}) {
    const outside = options.signal;
    const controller = this.controller = options.controller ?? new AbortController();
    this.#options = { ...options };
    // No closure here may hold `this` (their shared context would): the outside signal's listener
    // reaches `controller`, and so `aborted`, which holds the stream weakly then. A stream dropped
    // unread is collected, then unlinked and aborted (see DROPPED in on_body_end.ts).
    this.#parser = new ServerSentEventParser(this.#onEvent.bind(this), {
      maxBufferSize: options.maxBufferSize,
    });
    const signal = controller.signal;
    // Weak only with an outside signal, or for a tee() branch (the controller it shares is the
    // one the outside signal reaches): a WeakRef costs ~1.3 µs (measured with Deno 2.9).
    const ref = outside || teeing ? new WeakRef(this) : this;
    const unhookOutside = onAbort(outside, () => controller.abort(outside?.reason));
    // With an outside signal (a 2xx body), what fails a read of the body with the stream's error.
    // Kept on the stream, not in this scope: the closures here (reachable from DROPPED) must not
    // reach its reason, an error whose call sites hold the stream.
    const guard = this.#guard = outside && response.ok ? new AbortController() : undefined;
    let linked = true;
    // The caller aborted (or the idle timeout did, whose error is kept).
    const aborted = (): void => {
      const it = ref instanceof WeakRef ? ref.deref() : ref;
      if (it) {
        const error = signal.reason instanceof APITimeoutError
          ? signal.reason
          : it.#err(APIUserAbortError, "was aborted by the caller", signal.reason);
        it.#fail(error, it.#guard);
        it.#guard?.abort(error);
      }
    };
    // Set before hooking `signal`: an aborted one fails (and unlinks) the stream at once (then
    // with nothing to unhook from it yet).
    let unhook: (() => void) | undefined = undefined;
    const unlink = this.#unlink = (): void => {
      unhookOutside();
      unhook?.();
    };
    // With an outside signal the response is what DROPPED watches (unlinkOnEnd registers it; a
    // body that ended is left alone): the caller may hold it, its body or a reader of it without
    // the stream, and (hooked) that body holds the response. Its guard fails the read under way
    // (a read is made if none is) at the caller's abort, rather than the body being cancelled, so
    // a fetch that ignores the signal lets go too, and the hooks before this one (a logger()'s)
    // get the stream's error, mapped here, as the caller does.
    this.response = guard
      ? unlinkOnEnd(
        onBodyEnd(response, (err) => {
          linked = false;
          const it = (ref as WeakRef<this>).deref();
          if (err !== undefined && it && it.#reader) {
            // The guard's or a cut's error (unlinkOnEnd's, its cause the failure) as a read's; a
            // typed one of no cause the body failed with (a relay's) as it is, as a read keeps it.
            it.#fail(
              err instanceof AzureOpenAIError && err.cause === undefined
                ? err
                : it.#broke(err instanceof AzureOpenAIError ? err.cause : err),
              1,
            );
            return it.#error;
          }
        }),
        guard.signal,
        unlink,
        options.operation ?? "stream",
        0,
        { abort: () => linked && controller.abort() } as AbortController,
      )
      : response;
    unhook = onAbort(signal, aborted);
  }

  /**
   * Iterates the parsed chunks; breaking out of the loop cancels the body. A stream already read
   * to its end (by a loop or `finalChatCompletion()`) rejects the first `next()` with
   * `AzureOpenAIError`, as the SDK does. `throw()` closes the iterator, as `return()` does.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    // A stream already read fails at the first next(), as the SDK's generator does: here a
    // `.catch()` chained to that read would miss it. The iterator is done after that.
    const error = this.#tap();
    // An iterator its own return() closed is done, as a generator is (another one reading on
    // gets the cut stream's error).
    let closed = false;
    return {
      // Iterable itself, as the SDK's generator: take a chunk, then loop over the rest.
      [Symbol.asyncIterator]() {
        return this;
      },
      next: (): Promise<IteratorResult<T>> =>
        closed
          ? Promise.resolve(DONE)
          : error
          ? (closed = true, Promise.reject(error))
          : this.#next(),
      // Not awaiting the cancel: a tee() branch's cancel settles only once both branches cancel.
      return: (): Promise<IteratorResult<T>> => {
        closed = true;
        this.#end(undefined, 0, 1);
        return Promise.resolve(DONE);
      },
      // What `yield*` and iterator helpers hand an error in with: closes as return() does, then
      // rejects with that error, as a generator does (without it, `yield*` threw a TypeError).
      throw: (reason: unknown): Promise<never> => (
        closed = true, this.#end(undefined, 0, 1), Promise.reject(reason)
      ),
    };
  }

  /**
   * Re-emits the (remaining) chunks as newline-delimited JSON, one chunk per line, as the openai
   * SDK's `toReadableStream()` writes them: a page reads it back with `fromReadableStream()`, ours
   * or the SDK's. An upstream error errors the returned stream; cancelling it cancels the upstream
   * body. A stream already read to its end errors it with `AzureOpenAIError`, as a loop over it
   * does. To relay the service's own event stream, use the call's `asResponse()`.
   *
   * @example Proxying a stream to a page
   * ```ts
   * import { Stream } from "@aoai/edge";
   *
   * const upstream = new Response('data: {"n":1}\n\ndata: {"n":2}\n\ndata: [DONE]\n\n');
   * const proxied = new Response(new Stream(upstream).toReadableStream(), {
   *   headers: { "content-type": "application/x-ndjson" },
   * });
   * console.log(await proxied.text()); // '{"n":1}\n{"n":2}\n'
   * ```
   */
  toReadableStream(): ReadableStream<Uint8Array> {
    return this.#body(this.#tap());
  }

  /**
   * The chunks as JSON lines, or (`events`, for `tee()`) as events ending with `[DONE]`. A stream
   * already read (`error`) errors the body at its first read, as the SDK's does.
   */
  #body(error: AzureOpenAIError | undefined, events?: boolean): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      start: (controller) => error && controller.error(error),
      pull: async (controller): Promise<void> => {
        // At the end (nothing queued then) `[DONE]`, then close.
        const more = await this.#ready();
        let text = more || !events ? "" : "data: [DONE]\n\n";
        while (this.#head < this.#queue.length) {
          // Data that came as several `data:` lines was joined with "\n", which in JSON is only
          // ever a blank between tokens: one line again, or several `data:` lines.
          const data = this.#raw[this.#head++];
          text += events
            ? `data: ${data.replaceAll("\n", "\ndata: ")}\n\n`
            : data.replaceAll("\n", " ") + "\n";
        }
        text && controller.enqueue(encoder.encode(text));
        if (!more) controller.close();
      },
      cancel: (reason): Promise<void> | undefined => this.#end(reason, 0, 1),
    }, { highWaterMark: 0 });
  }

  /**
   * Splits the stream in two of its class that read at their own pace, as the SDK's `tee()`:
   * each gets every chunk (re-parsed from an event-stream copy) and has its own
   * `finalChatCompletion()`; both share `controller`, and the body is cancelled once both are.
   * Read the branches, not this stream, afterwards. Call it before reading: once a loop,
   * `toReadableStream()`, `finalChatCompletion()` or an earlier `tee()` took chunks, both
   * branches throw `AzureOpenAIError` (they would miss them), as the SDK's branches do.
   *
   * @example Relay a stream and keep its text
   * ```ts
   * import { Stream } from "@aoai/edge";
   *
   * const upstream = new Response('data: {"n":1}\n\ndata: [DONE]\n\n');
   * const [relayed, kept] = new Stream<{ n: number }>(upstream).tee();
   * const body = new Response(relayed.toReadableStream());
   * for await (const chunk of kept) console.log(chunk.n); // 1
   * console.log(await body.text()); // '{"n":1}\n'
   * ```
   */
  tee(): [this, this] {
    // Only before any read: the branches would miss what was read (a second tee() included).
    const body = this.#body(this.#tap(this.#tapped || this.#reader), true);
    teeing = true;
    const branches = body.tee().map((body) =>
      new (this.constructor as typeof Stream)(new Response(body, this.response), {
        controller: this.controller,
        operation: this.#options.operation,
      })
    );
    teeing = false;
    this.#tapped = 2;
    return branches as [this, this];
  }

  /**
   * A stream of this class over a body that `toReadableStream()` wrote (the page a server relays
   * it to), as the SDK's `fromReadableStream()`: ours (events) or the openai SDK's (JSON lines,
   * one chunk per line; a last line without its line break is a cut stream). `controller` aborts
   * it, as `stream.controller`.
   *
   * @example Rebuild a relayed chat stream
   * ```ts
   * import { ChatCompletionStream } from "@aoai/edge";
   *
   * const chunk = '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}';
   * // On the server: new Response(stream.toReadableStream()); on the page, its body:
   * const body = new Response(`data: ${chunk}\n\ndata: [DONE]\n\n`).body!;
   * const stream = ChatCompletionStream.fromReadableStream(body);
   * console.log((await stream.finalChatCompletion()).object); // "chat.completion"
   * ```
   */
  static fromReadableStream<S>(
    this: new (response: Response, options: { controller?: AbortController }) => S,
    body: ReadableStream<Uint8Array>,
    controller?: AbortController,
  ): S {
    return new this(new Response(body), { controller });
  }

  /**
   * Reads the rest of the stream (every chunk reaches `onChunk`). Resolves at `[DONE]`;
   * rejects with the stream's error. Chunks are discarded unless an iterator or
   * `toReadableStream()` has been handed out: those still get every chunk, even when
   * `done()` runs while they read.
   */
  async done(): Promise<void> {
    for (;;) {
      if (!this.#tapped) this.#queue.length = this.#raw.length = this.#head = 0;
      if (this.#ended) return void this.#over();
      await this.#pull();
    }
  }

  /** Cancels the body and ends iteration; safe to call at any time. */
  abort(): void {
    this.controller.abort(LEFT);
  }

  /** The next chunk: a queued one at once, else once one is read. */
  #next(): Promise<IteratorResult<T>> {
    return this.#head < this.#queue.length
      ? Promise.resolve({ value: this.#queue[this.#head++], done: false })
      // An overlapping next() may have taken the chunk while this one waited: wait again then.
      : this.#ready().then((more) => more ? this.#next() : DONE);
  }

  /**
   * Resolves to true once a chunk is queued, to false after `[DONE]`, or rejects (after the
   * chunks that came before) as `#over()` says.
   */
  async #ready(): Promise<boolean> {
    for (;;) {
      if (this.#head < this.#queue.length) return true;
      if (this.#head) this.#queue.length = this.#raw.length = this.#head = 0;
      if (this.#ended) return this.#over();
      await this.#pull();
    }
  }

  /**
   * For a stream that reads no more: false after `[DONE]`, else throws its error, or
   * `APIUserAbortError` when a consumer cancelled it (a cut reply never ends as if whole).
   */
  #over(): false {
    if (this.#error) throw this.#error;
    if (this.#sawDone) return false;
    throw this.#err(
      APIUserAbortError,
      "was cancelled before it finished; the result is incomplete",
    );
  }

  /**
   * Hands the queue to an iterator or `toReadableStream()` (`#tapped`), or returns
   * `AzureOpenAIError` when `read`: by default when the stream was read to its end with nothing
   * left queued (a loop over it, or a relay of it, would get nothing, as if the reply were empty),
   * or was split by `tee()`.
   */
  #tap(
    read: unknown = this.#tapped == 2 || this.#sawDone && this.#head >= this.#queue.length,
  ): AzureOpenAIError | undefined {
    if (read) return this.#err(AzureOpenAIError, "was already read");
    this.#tapped = true;
  }

  /** Reads one more piece of the body, or waits for the read under way (one read at a time). */
  #pull(): Promise<void> {
    return this.#pulling ??= this.#read().finally(() => this.#pulling = undefined);
  }

  /** Reads one piece of the body and parses it. */
  async #read(): Promise<void> {
    if (!this.#reader) {
      const body = this.response.body;
      if (!body) return this.#endedEarly();
      if (body.locked) {
        throw new TypeError(
          `${
            describeSite(this.#site())
          }: the response body is already being read; create one stream per ` +
            "response",
        );
      }
      this.#reader = body.getReader();
    }
    let result: ReadableStreamReadResult<Uint8Array>;
    const ms = this.#options.idleTimeoutMs;
    // Beyond the longest timer (~24.8 days) a timer would fire at once: no limit then.
    const timer = ms! > 0 && ms! <= MAX_TIMER_MS
      ? setTimeout(() => {
        if (this.#ended) return;
        const error = this.#err(
          APITimeoutError,
          `received nothing for ${ms} ms (idleTimeoutMs) after ${this.#chunks} chunks; retry ` +
            "or raise idleTimeoutMs",
        );
        this.#fail(error);
        this.controller.abort(error);
      }, ms)
      : undefined;
    try {
      result = await this.#reader.read();
    } catch (cause) {
      // An abort failed the stream before its read rejected (the signal's listener runs first).
      // A body that failed with a typed error (a stream rebuilt from toReadableStream()) keeps it.
      return this.#fail(cause instanceof AzureOpenAIError ? cause : this.#broke(cause));
    } finally {
      clearTimeout(timer);
    }
    if (this.#ended) return; // aborted, timed out or cancelled while reading
    const start = this.#lines == undefined;
    let bytes = result.value!;
    // A body of no type (fromReadableStream() of the SDK's JSON lines) or typed as JSON lines that
    // starts with `{` is read as events: `data:` before each line, a blank line after it. Its end
    // ends the stream if a line break ended its last line (the SDK's writer ends each so). Typed
    // otherwise (a gateway's JSON as an event stream), it is no stream. Blanks before the first
    // line (a relay's keep-alive line breaks) are skipped, as the SDK skips blank lines.
    if (start && bytes?.length) {
      const at = bytes.findIndex((b) => b > 32);
      if (at < 0) return;
      this.#lines = bytes[at] == 123 &&
        /^$|jsonl|ndjson/.test(this.response.headers.get("content-type") ?? "");
      if (this.#lines) bytes = bytes.subarray(at);
    }
    const lines = this.#lines;
    // At the end, a blank line ends the last block: only a `[DONE]` or an error event in it counts.
    this.#last = result.done && !this.#whole;
    try {
      if (lines && !result.done) {
        this.#whole = bytes.at(-1) == 10;
        let from = 0;
        if (start) this.#parser.feed(DATA);
        for (let at; (at = bytes.indexOf(10, from)) >= 0; from = at + 1) {
          this.#parser.feed(bytes.subarray(from, at));
          this.#parser.feed(NEXT);
        }
        this.#parser.feed(bytes.subarray(from));
      } else this.#parser.feed(result.done ? encoder.encode("\n\n") : bytes);
    } catch (cause) {
      this.#fail(this.#err(AzureOpenAIError, `could not be processed: ${cause}`, cause));
    }
    if (result.done && (this.#final || this.#whole)) this.#sawDone = true;
    if (this.#sawDone) this.#end();
    else if (this.#last) this.#endedEarly();
  }

  #onEvent({ event, data }: ServerSentEvent): void {
    if (this.#ended || this.#sawDone) return;
    if (event === "error") return this.#fail(this.#payloadError(data));
    // Transcription streams name their events (`event: transcript.text.delta`), as the SDK reads.
    if (event !== "message" && !event.startsWith("transcript.") || data === "") return;
    // "[DONE]" as a prefix, as the SDK reads it (Azure may add blanks); no JSON starts so.
    if (data.startsWith("[DONE]")) {
      this.#sawDone = true;
      return;
    }
    let chunk: unknown, cause: unknown;
    try {
      chunk = JSON.parse(data);
    } catch (error) {
      cause = error;
    }
    if (isRecord(chunk) && chunk.error != null) return this.#fail(this.#payloadError(chunk));
    // In the block the body's end cut off only an error counts (Azure's `data: {"error":…}`).
    if (this.#last) return;
    // A chunk is an object: `null`, a number or an array is no chunk of any operation.
    if (!isRecord(chunk)) {
      return this.#fail(
        this.#err(
          AzureOpenAIError,
          `sent an event that is not a JSON object (${data.slice(0, 120)}); check that the ` +
            "endpoint is an Azure OpenAI deployment",
          cause,
        ),
      );
    }
    this.#chunks++;
    this.#options.onChunk?.(chunk as T);
    this.#queue.push(chunk as T);
    if (/^transcript\./.test(chunk.type as string)) {
      this.#final ||= chunk.type == "transcript.text.done";
    }
    this.#raw.push(data);
  }

  /**
   * The typed error for an `event: error` payload (text) or a chunk with an `error` member: its
   * `status`, else a 4xx/5xx `code`, else 500 for a `server_error` code or type (Azure sends
   * either), else none (plain `AzureOpenAIError`).
   */
  #payloadError(body: unknown): AzureOpenAIError {
    try {
      if (typeof body === "string") body = JSON.parse(body);
    } catch { /* keep the text */ }
    const error = isRecord(body) ? isRecord(body.error) ? body.error : body : {};
    const code = String(error.code);
    return errorFromBody(
      typeof error.status === "number"
        ? error.status
        : /^[45]\d\d$/.test(code)
        ? Number(code)
        : code == "server_error" || error.type == "server_error"
        ? 500
        : undefined,
      body,
      this.#site(" stream"),
      this.response.headers,
    );
  }

  /**
   * Where the stream's errors happened; the client's streams come from POSTs. One built without
   * an operation is "stream" alone: its request is unknown, and `#err` adds no second "stream".
   */
  #site(suffix = ""): ErrorSite {
    const op = this.#options.operation;
    return {
      operation: op ? op + suffix : "stream",
      method: op && "POST",
      url: this.response.url,
    };
  }

  #err<E>(
    Kind: new (message: string, init: APIErrorInit) => E,
    what: string,
    cause?: unknown,
  ): E {
    // The request id in the message too, as errors built from a body have it: support asks for it.
    const requestId = requestIdOf(this.response.headers);
    return new Kind(
      `${describeSite(this.#site())}${this.#options.operation ? " stream" : ""} ${what}${
        requestId ? ` [request id ${requestId}]` : ""
      }`,
      { cause, requestId },
    );
  }

  #broke(cause: unknown): APIConnectionError {
    return this.#err(
      APIConnectionError,
      `broke after ${this.#chunks} chunks: ${messageOf(cause)}; retry the request`,
      cause,
    );
  }

  #endedEarly(): void {
    const type = this.response.headers.get("content-type");
    this.#fail(
      this.#err(
        APIConnectionError,
        // A body with no event that is no event stream came from something else (a gateway): no
        // retry mends that.
        this.#chunks || !type || /event-stream/.test(type)
          ? `ended before ${
            this.#final === false ? "transcript.text.done" : "[DONE]"
          } after ${this.#chunks} chunks; the connection was closed early, ` +
            "retry the request"
          : `got ${type}, not an event stream: a proxy in between?`,
      ),
    );
  }

  /**
   * Records the error (unless the stream is already over), stops reading, cancels the body (or,
   * `read`, reads it so that its guard fails it: see the constructor).
   */
  #fail(error: AzureOpenAIError, read?: unknown): void {
    if (!this.#ended) {
      this.#options.scrub?.(error);
      this.#error = error;
      this.#end(error, read);
    }
  }

  /**
   * Stops reading (once): unhooks the signals and cancels the body if it is still open (`read`:
   * reads it, see `#fail`). `left` (a consumer left early: a loop's `return()`, a relay's cancel)
   * also aborts `controller`, as the SDK does, unless this is a `tee()` branch.
   */
  #end(reason?: unknown, read?: unknown, left?: unknown): Promise<void> | undefined {
    if (this.#ended) return;
    this.#ended = true;
    this.#unlink();
    const cancelled = (read ? this.#pull() : (this.#reader ?? this.response.body)?.cancel(reason))
      ?.catch(() => {});
    if (left && !this.#branch) this.controller.abort(LEFT);
    return cancelled;
  }
}
