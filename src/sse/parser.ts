import { completeUtf8End } from "./_utf8.ts";
import { SseBufferOverflowError } from "./buffer_overflow_error.ts";
import {
  DEFAULT_SSE_MAX_BUFFER_SIZE,
  type ServerSentEventParserOptions,
} from "./parser_options.ts";
import type { ServerSentEvent } from "./server_sent_event.ts";

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const BOM = [0xef, 0xbb, 0xbf] as const;
const EMPTY = new Uint8Array(0);
/** Byte buffers larger than this are dropped after use instead of kept for reuse. */
const KEEP_PENDING_BYTES = 64 * 1024;
/** Chunks shorter than this are checked for a line end before being decoded. */
const SMALL_CHUNK = 256;

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

  /** Decoded start of the current, not yet terminated line. */
  #text = "";
  /**
   * Undecoded bytes that follow `#text`: small chunks without a line end, or the start
   * of a multi-byte character cut by the end of a chunk.
   */
  #bytes: Uint8Array = EMPTY;
  #bytesLen = 0;
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
    if (len - pos < SMALL_CHUNK) {
      // A small chunk without a line end is only buffered: no decode call for it.
      let i = pos;
      while (i < len && chunk[i] !== LF && chunk[i] !== CR) i++;
      if (i === len) {
        this.#appendBytes(chunk, pos, len);
        return;
      }
    }
    let input = pos === 0 ? chunk : chunk.subarray(pos);
    if (this.#bytesLen > 0) {
      this.#appendBytes(chunk, pos, len);
      input = this.#bytes.subarray(0, this.#bytesLen);
      this.#bytesLen = 0;
    }
    // One decode call per chunk. A multi-byte character cut by the end of the chunk
    // waits, undecoded, for the rest of its bytes.
    let end = input.length;
    if (input[end - 1] >= 0x80) end = completeUtf8End(input);
    const text = this.#decoder.decode(end === input.length ? input : input.subarray(0, end));
    if (end < input.length) {
      const cut = input.slice(end);
      this.#appendBytes(cut, 0, cut.length);
    }
    if (this.#bytes.length > KEEP_PENDING_BYTES && this.#bytesLen === 0) this.#bytes = EMPTY;
    this.#lines(text);
  }

  /**
   * Forgets everything: the unterminated line and block (never dispatched, as the
   * WHATWG rules require at end of stream), the last event ID and the BOM state, so
   * the parser can take a new stream.
   */
  reset(): void {
    this.#text = "";
    this.#bytes = EMPTY;
    this.#bytesLen = 0;
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
        if (matched > 0) this.#appendBytes(Uint8Array.from(BOM), 0, matched);
        return pos;
      }
      this.#bomMatched++;
      pos++;
    }
    return pos;
  }

  /** Appends `chunk[start, end)` to the undecoded bytes of the unterminated line. */
  #appendBytes(chunk: Uint8Array, start: number, end: number): void {
    const needed = this.#bytesLen + (end - start);
    if (needed + this.#text.length > this.#max) {
      // Only the unterminated line counts: a chunk may hold many complete lines.
      let stop = start;
      while (stop < end && chunk[stop] !== LF && chunk[stop] !== CR) stop++;
      if (this.#bytesLen + (stop - start) + this.#text.length > this.#max) {
        throw new SseBufferOverflowError(this.#max, "line");
      }
    }
    if (needed > this.#bytes.length) {
      let size = this.#bytes.length * 2;
      if (size < 1024) size = 1024;
      if (size < needed) size = needed;
      const grown = new Uint8Array(size);
      grown.set(this.#bytes.subarray(0, this.#bytesLen));
      this.#bytes = grown;
    }
    this.#bytes.set(chunk.subarray(start, end), this.#bytesLen);
    this.#bytesLen = needed;
  }

  /**
   * Interprets the decoded `text` of a chunk: its first line completes the carried
   * `#text`; complete lines are interpreted; what follows the last line end is carried.
   */
  #lines(text: string): void {
    const len = text.length;
    let cr = text.indexOf("\r");
    let lf = text.indexOf("\n");
    if (cr === -1) cr = len;
    if (lf === -1) lf = len;
    let end = lf < cr ? lf : cr;
    if (end === len) {
      this.#carry(text, 0);
      return;
    }
    if (this.#text !== "") {
      const line = this.#text + text.slice(0, end);
      this.#text = "";
      this.#line(line, 0, line.length);
    } else {
      this.#line(text, 0, end);
    }
    let pos = end + 1;
    for (;;) {
      if (end === cr) {
        if (pos === len) {
          if (this.#bytesLen === 0) this.#skipLF = true;
          return;
        }
        if (lf === pos) {
          pos++;
          lf = text.indexOf("\n", pos);
          if (lf === -1) lf = len;
        }
        cr = text.indexOf("\r", pos);
        if (cr === -1) cr = len;
      } else if (cr === len) {
        // LF-only text (the usual case): a blank line right after a line is checked
        // directly instead of with another search.
        if (text.charCodeAt(pos) === LF) {
          this.#dispatch();
          pos++;
        }
        lf = text.indexOf("\n", pos);
        while (lf !== -1) {
          this.#line(text, pos, lf);
          pos = lf + 1;
          if (text.charCodeAt(pos) === LF) {
            this.#dispatch();
            pos++;
          }
          lf = text.indexOf("\n", pos);
        }
        this.#carry(text, pos);
        return;
      } else {
        lf = text.indexOf("\n", pos);
        if (lf === -1) lf = len;
      }
      end = lf < cr ? lf : cr;
      if (end === len) {
        this.#carry(text, pos);
        return;
      }
      this.#line(text, pos, end);
      pos = end + 1;
    }
  }

  /** Carries `text[pos..]`, the start of an unterminated line, over to the next chunk. */
  #carry(text: string, pos: number): void {
    if (pos === text.length) return;
    const rest = pos === 0 ? text : text.slice(pos);
    if (this.#text.length + rest.length + this.#bytesLen > this.#max) {
      throw new SseBufferOverflowError(this.#max, "line");
    }
    this.#text = this.#text === "" ? rest : this.#text + rest;
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
