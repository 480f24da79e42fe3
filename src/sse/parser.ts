import { SseBufferOverflowError } from "./buffer_overflow_error.ts";
import type { ServerSentEvent } from "./server_sent_event.ts";

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const BOM = [0xef, 0xbb, 0xbf] as const;
const EMPTY = new Uint8Array(0);
/** Pending-line buffers larger than this are dropped after use instead of kept for reuse. */
const KEEP_PENDING_BYTES = 64 * 1024;

/**
 * Default for `maxBufferSize`: 16 MiB. Far above any chat or completions chunk, low
 * enough that a stream which never sends a line break fails long before an edge
 * runtime (128 MiB isolates) runs out of memory.
 *
 * @example Using the default explicitly
 * ```ts
 * import { DEFAULT_SSE_MAX_BUFFER_SIZE, ServerSentEventParser } from "./mod.ts";
 *
 * const parser = new ServerSentEventParser(() => {}, {
 *   maxBufferSize: DEFAULT_SSE_MAX_BUFFER_SIZE,
 * });
 * parser.feed(new TextEncoder().encode("data: hi\n\n"));
 * ```
 */
export const DEFAULT_SSE_MAX_BUFFER_SIZE: number = 16 * 1024 * 1024;

/**
 * Options of {@linkcode ServerSentEventParser} and `ServerSentEventParserStream`.
 *
 * @example Limiting lines and events to 1 MiB
 * ```ts
 * import type { ServerSentEventParserOptions } from "./mod.ts";
 *
 * const options: ServerSentEventParserOptions = { maxBufferSize: 1024 * 1024 };
 * console.log(options.maxBufferSize);
 * ```
 */
export interface ServerSentEventParserOptions {
  /**
   * Largest single line, and largest total `data` of one event, in bytes. Exceeding it
   * throws {@linkcode SseBufferOverflowError}. Default {@linkcode DEFAULT_SSE_MAX_BUFFER_SIZE}.
   */
  maxBufferSize?: number;
  /**
   * Called as soon as a valid `retry:` field is parsed, even when its block dispatches
   * no event (the event that does get dispatched from that block also carries `retry`).
   */
  onRetry?: (retryMs: number) => void;
}

/**
 * The pure, byte-level `text/event-stream` parser behind `ServerSentEventParserStream`.
 *
 * Feed it `Uint8Array` chunks split anywhere (inside a line, inside a CRLF pair,
 * inside a multi-byte UTF-8 character); it calls `onEvent` synchronously for every
 * event completed by that chunk. It implements the WHATWG HTML event stream rules:
 * one leading BOM stripped, CR / LF / CRLF line ends, comments, fields without a
 * colon, one space stripped after the colon, data lines joined with `"\n"`, event
 * type reset after each dispatch, nothing dispatched for a block without data,
 * `event` defaulting to `"message"`, `id` with NUL ignored and persisting, `retry`
 * only when all ASCII digits, unknown fields ignored, invalid UTF-8 decoded as U+FFFD.
 *
 * At the end of the stream, an unterminated final block is simply never dispatched;
 * call {@linkcode ServerSentEventParser.reset} to reuse the parser for another stream.
 * After `feed()` throws, the parser state is undefined until `reset()`.
 *
 * @example Parsing chunks by hand
 * ```ts
 * import { ServerSentEventParser, type ServerSentEvent } from "./mod.ts";
 *
 * const events: ServerSentEvent[] = [];
 * const parser = new ServerSentEventParser((event) => events.push(event));
 * const bytes = new TextEncoder().encode("event: ping\ndata: 1\n\ndata: 2\r\n\r\n");
 * parser.feed(bytes.subarray(0, 7));
 * parser.feed(bytes.subarray(7));
 * console.log(events); // [{ event: "ping", data: "1", id: "" }, { event: "message", data: "2", id: "" }]
 * ```
 */
export class ServerSentEventParser {
  #onEvent: (event: ServerSentEvent) => void;
  #onRetry: ((retryMs: number) => void) | undefined;
  #max: number;
  #decoder = new TextDecoder("utf-8", { ignoreBOM: true });

  /** Bytes of the current, not yet terminated line (spanning chunks). */
  #pending: Uint8Array = EMPTY;
  #pendingLen = 0;
  /** The previous chunk ended with CR: an LF at the start of the next one belongs to it. */
  #skipLF = false;
  /** How many bytes of a leading BOM have been matched (3 = start of stream is behind us). */
  #bomMatched = 0;

  #data = "";
  #dataLines = 0;
  #event = "";
  #id = "";
  #retry: number | undefined = undefined;

  /**
   * Creates a parser that reports events to `onEvent`.
   *
   * @param onEvent Called synchronously, in order, for every dispatched event.
   * @param options See {@linkcode ServerSentEventParserOptions}.
   */
  constructor(
    onEvent: (event: ServerSentEvent) => void,
    options: ServerSentEventParserOptions = {},
  ) {
    const max = options.maxBufferSize ?? DEFAULT_SSE_MAX_BUFFER_SIZE;
    if (!(max > 0)) {
      throw new RangeError(
        `maxBufferSize must be a positive number of bytes, got ${String(max)}.`,
      );
    }
    this.#onEvent = onEvent;
    this.#onRetry = options.onRetry;
    this.#max = max;
  }

  /**
   * Parses the next chunk of the stream, calling `onEvent` for each completed event.
   *
   * @param chunk The next bytes of the body; may be split at any byte offset.
   * @throws {SseBufferOverflowError} when a line or an event's data exceeds `maxBufferSize`.
   */
  feed(chunk: Uint8Array): void {
    const len = chunk.length;
    let pos = 0;
    if (len === 0) return;
    if (this.#bomMatched < 3) {
      pos = this.#matchBom(chunk);
      if (pos === len) return;
    }
    if (this.#skipLF) {
      this.#skipLF = false;
      if (chunk[pos] === LF && ++pos === len) return;
    }
    // The last line terminator of the chunk: everything up to it is complete lines,
    // decoded with one call; the bytes after it wait for the next chunk undecoded (so a
    // multi-byte character split across chunks is decoded whole).
    let last = len - 1;
    while (last >= pos) {
      const byte = chunk[last];
      if (byte === LF || byte === CR) break;
      last--;
    }
    if (last < pos) {
      this.#appendPending(chunk, pos, len);
      return;
    }
    if (this.#pendingLen === 0) {
      this.#lines(this.#decoder.decode(chunk.subarray(pos, last + 1)));
    } else {
      // Join the carried-over bytes and this chunk's complete lines: one decode call.
      let first = pos;
      while (chunk[first] !== LF && chunk[first] !== CR) first++;
      if (this.#pendingLen + (first - pos) > this.#max) {
        throw new SseBufferOverflowError(this.#max, "line");
      }
      this.#appendPending(chunk, pos, last + 1, true);
      const text = this.#decoder.decode(this.#pending.subarray(0, this.#pendingLen));
      this.#pendingLen = 0;
      if (this.#pending.length > KEEP_PENDING_BYTES) this.#pending = EMPTY;
      this.#lines(text);
    }
    if (last === len - 1) {
      if (chunk[last] === CR) this.#skipLF = true;
    } else {
      this.#appendPending(chunk, last + 1, len);
    }
  }

  /**
   * Forgets everything: the unterminated line and block (never dispatched, as the
   * WHATWG rules require at end of stream), the last event ID and the BOM state, so
   * the parser can take a new stream.
   */
  reset(): void {
    this.#pending = EMPTY;
    this.#pendingLen = 0;
    this.#skipLF = false;
    this.#bomMatched = 0;
    this.#data = "";
    this.#dataLines = 0;
    this.#event = "";
    this.#id = "";
    this.#retry = undefined;
  }

  /** Consumes a (possibly partial) leading BOM; returns the offset where content starts. */
  #matchBom(chunk: Uint8Array): number {
    let pos = 0;
    while (this.#bomMatched < 3 && pos < chunk.length) {
      if (chunk[pos] !== BOM[this.#bomMatched]) {
        // Not a BOM after all: the bytes matched so far are content.
        const matched = this.#bomMatched;
        this.#bomMatched = 3;
        if (matched > 0) this.#appendPending(Uint8Array.from(BOM), 0, matched);
        return pos;
      }
      this.#bomMatched++;
      pos++;
    }
    return pos;
  }

  /**
   * Appends `chunk[start, end)` to the pending bytes. Unless `checked` (the caller
   * checked the line lengths), the pending bytes are one unterminated line and must fit.
   */
  #appendPending(chunk: Uint8Array, start: number, end: number, checked = false): void {
    const needed = this.#pendingLen + (end - start);
    if (needed > this.#max && !checked) throw new SseBufferOverflowError(this.#max, "line");
    if (needed > this.#pending.length) {
      let size = this.#pending.length * 2;
      if (size < 1024) size = 1024;
      if (size < needed) size = needed;
      const grown = new Uint8Array(size);
      grown.set(this.#pending.subarray(0, this.#pendingLen));
      this.#pending = grown;
    }
    this.#pending.set(chunk.subarray(start, end), this.#pendingLen);
    this.#pendingLen = needed;
  }

  /** Interprets `text`, a run of complete lines that ends with a line terminator. */
  #lines(text: string): void {
    const len = text.length;
    let pos = 0;
    let cr = text.indexOf("\r");
    let lf = text.indexOf("\n");
    if (cr === -1) {
      // LF-only text (the usual case): a blank line right after a line is checked
      // directly instead of with another search.
      while (lf !== -1) {
        this.#line(text, pos, lf);
        pos = lf + 1;
        if (text.charCodeAt(pos) === LF) {
          this.#dispatch();
          pos++;
        }
        lf = text.indexOf("\n", pos);
      }
      return;
    }
    if (lf === -1) lf = len;
    while (pos < len) {
      if (lf < cr) {
        this.#line(text, pos, lf);
        pos = lf + 1;
        lf = text.indexOf("\n", pos);
        if (lf === -1) lf = len;
      } else {
        this.#line(text, pos, cr);
        pos = cr + 1;
        if (lf === pos) {
          pos++;
          lf = text.indexOf("\n", pos);
          if (lf === -1) lf = len;
        }
        cr = text.indexOf("\r", pos);
        if (cr === -1) cr = len;
      }
    }
  }

  /** Interprets one complete line `text[start, end)` (terminator excluded). */
  #line(text: string, start: number, end: number): void {
    if (start === end) {
      this.#dispatch();
      return;
    }
    const first = text.charCodeAt(start);
    if (first === COLON) return;
    if (end - start > this.#max) throw new SseBufferOverflowError(this.#max, "line");
    // "data:" (a shorter line fails on its terminator, so no length check is needed).
    if (
      first === 0x64 && text.charCodeAt(start + 4) === COLON &&
      text.charCodeAt(start + 1) === 0x61 && text.charCodeAt(start + 2) === 0x74 &&
      text.charCodeAt(start + 3) === 0x61
    ) {
      let value = start + 5;
      if (value < end && text.charCodeAt(value) === SPACE) value++;
      this.#appendData(value === end ? "" : text.slice(value, end));
      return;
    }
    let colon = start;
    while (colon < end && text.charCodeAt(colon) !== COLON) colon++;
    let value = colon;
    if (colon < end) {
      value = colon + 1;
      if (value < end && text.charCodeAt(value) === SPACE) value++;
    }
    switch (text.slice(start, colon)) {
      case "data":
        this.#appendData(text.slice(value, end));
        return;
      case "event":
        this.#event = text.slice(value, end);
        return;
      case "id": {
        const id = text.slice(value, end);
        if (!id.includes("\0")) this.#id = id;
        return;
      }
      case "retry":
        this.#parseRetry(text, value, end);
        return;
    }
  }

  #appendData(value: string): void {
    if (this.#dataLines++ === 0) {
      if (value.length > this.#max) throw new SseBufferOverflowError(this.#max, "event data");
      this.#data = value;
    } else {
      if (this.#data.length + 1 + value.length > this.#max) {
        throw new SseBufferOverflowError(this.#max, "event data");
      }
      this.#data += "\n" + value;
    }
  }

  #parseRetry(text: string, start: number, end: number): void {
    if (start === end) return;
    for (let i = start; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x30 || code > 0x39) return;
    }
    const ms = Number(text.slice(start, end));
    this.#retry = ms;
    this.#onRetry?.(ms);
  }

  #dispatch(): void {
    const retry = this.#retry;
    this.#retry = undefined;
    if (this.#dataLines === 0) {
      this.#event = "";
      return;
    }
    const event: ServerSentEvent = {
      event: this.#event === "" ? "message" : this.#event,
      data: this.#data,
      id: this.#id,
    };
    if (retry !== undefined) event.retry = retry;
    this.#data = "";
    this.#dataLines = 0;
    this.#event = "";
    this.#onEvent(event);
  }
}
