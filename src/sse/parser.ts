import { SseBufferOverflowError } from "./buffer_overflow_error.ts";
import {
  DEFAULT_SSE_MAX_BUFFER_SIZE,
  type ServerSentEventParserOptions,
} from "./parser_options.ts";
import type { ServerSentEvent } from "./server_sent_event.ts";
import { shown } from "../options.ts";

/** The characters the parser looks for (char codes, also the bytes of the ASCII ones). */
const enum Char {
  LF = 0x0a,
  CR = 0x0d,
  COLON = 0x3a,
  SPACE = 0x20,
  BOM = 0xfeff,
}
/** Sizes in bytes. */
const enum Size {
  /** Chunks shorter than this without a line end are buffered as bytes instead of decoded. */
  SMALL_CHUNK = 256,
  /** A byte buffer larger than this is dropped after use instead of kept for reuse. */
  KEEP_BYTES = 64 * 1024,
}
const EMPTY = new Uint8Array(0);

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
 * import { ServerSentEventParser, type ServerSentEvent } from "@aoai/edge";
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
  // One non-streaming decode call per chunk (much faster than `{ stream: true }` on non-ASCII
  // text); a character cut by the end of a chunk waits, undecoded, in `#bytes`.
  #decoder = new TextDecoder("utf-8", { ignoreBOM: true });

  // The fields below are set by `#reset()`.
  /** Decoded start of the current, not yet terminated line. */
  #text!: string;
  /**
   * Undecoded bytes that follow `#text` (`#n` of them): small chunks without a line end, or the
   * start of a multi-byte character cut by the end of a chunk.
   */
  #bytes!: Uint8Array;
  #n!: number;
  /**
   * The character dropped if the next decoded text starts with it: a BOM while nothing was
   * decoded yet, LF after a text that ended with CR (the rest of a CRLF), else none (-1).
   */
  #skip!: number;

  /** The block's data lines so far, joined with "\n"; undefined while it has none. */
  #data: string | undefined;
  #event: string | undefined;
  #id!: string;
  #retry: number | undefined;

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
        `maxBufferSize must be a positive number of characters, got ${shown(max)}`,
      );
    }
    this.#onEvent = onEvent;
    this.#onRetry = options.onRetry;
    this.#max = max;
    // Not the overridable reset(): a subclass's override would run before its own fields exist.
    this.#reset();
  }

  /**
   * Parses the next chunk of the stream, calling `onEvent` for each completed event.
   *
   * @param chunk The next bytes of the body; may be split at any byte offset.
   * @throws {SseBufferOverflowError} when a line or an event's data exceeds `maxBufferSize`.
   */
  feed(chunk: Uint8Array): void {
    const len = chunk.length;
    // A small piece of a line is only buffered: no decode call (and no string) for it. Near the
    // limit it is decoded: the limit counts characters, and multibyte text has fewer than bytes.
    if (
      len < Size.SMALL_CHUNK && chunk.indexOf(Char.LF) === -1 && chunk.indexOf(Char.CR) === -1 &&
      this.#n + len + this.#text.length <= this.#max
    ) return this.#push(chunk);
    let input = chunk;
    if (this.#n > 0) {
      this.#push(chunk);
      input = this.#bytes.subarray(0, this.#n);
      this.#n = 0;
    }
    const size = input.length;
    // The complete UTF-8 characters end before a final lead byte whose sequence still misses
    // bytes, else at the end (cutting before a lead byte never changes what is decoded). In a
    // chunk under 4 bytes the search may step to input[-1]: undefined, so no continuation byte,
    // and as a lead it needs 1 byte, so the whole input is decoded, as stopping at 0 decodes it.
    let end = size - 1;
    while (end > size - 4 && (input[end] & 0xc0) === 0x80) end--;
    const lead = input[end];
    if (size - end >= (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1)) end = size;
    let text = this.#decoder.decode(input.subarray(0, end));
    this.#push(input.subarray(end));
    if (this.#bytes.length > Size.KEEP_BYTES && this.#n === 0) this.#bytes = EMPTY;
    // "" for a small piece over a limit under 2 that holds only a cut character (a cut BOM):
    // #skip must survive it.
    if (!text) return;
    if (text.charCodeAt(0) === this.#skip) text = text.slice(1);
    this.#skip = text.charCodeAt(text.length - 1) === Char.CR ? Char.LF : -1;
    // CR and CRLF become LF, so the loop below handles one kind of line end.
    this.#lines(text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text);
  }

  /**
   * Forgets everything: the unterminated line and block (never dispatched, as the
   * WHATWG rules require at end of stream), the last event ID and the BOM state, so
   * the parser can take a new stream.
   */
  reset(): void {
    this.#reset();
  }

  #reset(): void {
    this.#text = this.#id = "";
    this.#data = this.#event = this.#retry = undefined;
    this.#bytes = EMPTY;
    this.#n = 0;
    this.#skip = Char.BOM;
  }

  /** Interprets the LF-terminated lines of `text`, carrying what follows the last LF. */
  #lines(text: string): void {
    let pos = 0;
    let lf = text.indexOf("\n");
    if (lf !== -1 && this.#text) {
      const line = this.#text + text.slice(0, lf);
      this.#text = "";
      this.#line(line, 0, line.length);
      pos = lf + 1;
      lf = text.indexOf("\n", pos);
    }
    while (lf !== -1) {
      this.#line(text, pos, lf);
      pos = lf + 1;
      // A blank line right after a line (the usual end of an event): no search needed.
      if (text.charCodeAt(pos) === Char.LF) {
        this.#dispatch();
        pos++;
      }
      lf = text.indexOf("\n", pos);
    }
    const rest = text.slice(pos);
    if (rest) {
      if (this.#text.length + rest.length > this.#max) this.#overflow("line");
      this.#text += rest;
    }
  }

  /** Interprets one complete line `text[start, end)` (terminator excluded). */
  #line(text: string, start: number, end: number): void {
    if (start === end) return this.#dispatch();
    if (text.charCodeAt(start) === Char.COLON) return;
    if (end - start > this.#max) this.#overflow("line");
    // "data:" is known without a search (a shorter line fails on its terminator).
    const isData = text.startsWith("data:", start);
    let colon = isData ? start + 4 : start;
    while (colon < end && text.charCodeAt(colon) !== Char.COLON) colon++;
    let at = colon + 1;
    if (at < end && text.charCodeAt(at) === Char.SPACE) at++;
    const value = text.slice(at, end);
    const field = isData ? "data" : text.slice(start, colon);
    if (field === "data") {
      this.#data = this.#data === undefined ? value : this.#data + "\n" + value;
      if (this.#data.length > this.#max) this.#overflow("event data");
    } else if (field === "event") this.#event = value;
    else if (field === "id") {
      if (!value.includes("\0")) this.#id = value;
    } else if (field === "retry" && /^\d+$/.test(value)) {
      this.#retry = +value;
      this.#onRetry?.(this.#retry);
    }
  }

  /** Appends to the undecoded bytes, growing the buffer geometrically. */
  #push(bytes: Uint8Array): void {
    const n = this.#n + bytes.length;
    if (n > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(n, 2 * this.#bytes.length, 1024));
      grown.set(this.#bytes.subarray(0, this.#n));
      this.#bytes = grown;
    }
    this.#bytes.set(bytes, this.#n);
    this.#n = n;
  }

  #overflow(what: "line" | "event data"): never {
    throw new SseBufferOverflowError(this.#max, what);
  }

  /** Ends the block: dispatches its event if it had data, and starts the next one. */
  #dispatch(): void {
    const data = this.#data;
    const event = this.#event || "message";
    const retry = this.#retry;
    this.#data = this.#event = this.#retry = undefined;
    if (data !== undefined) {
      this.#onEvent(
        retry === undefined ? { event, data, id: this.#id } : { event, data, id: this.#id, retry },
      );
    }
  }
}
