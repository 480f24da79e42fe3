import { SseBufferOverflowError } from "./buffer_overflow_error.ts";
import {
  DEFAULT_SSE_MAX_BUFFER_SIZE,
  type ServerSentEventParserOptions,
} from "./parser_options.ts";
import type { ServerSentEvent } from "./server_sent_event.ts";

const EMPTY = new Uint8Array(0);
/** Chunks shorter than this without a line end are buffered as bytes instead of decoded. */
const SMALL_CHUNK = 256;
/** A byte buffer larger than this is dropped after use instead of kept for reuse. */
const KEEP_BYTES = 64 * 1024;

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
  // The parse state lives in the closure `createFeed` returns; reset() makes a fresh one.
  #feed!: (chunk: Uint8Array) => void;
  #reset: () => void;

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
      throw new RangeError(`maxBufferSize must be a positive number of bytes, got ${max}`);
    }
    const onRetry = options.onRetry;
    this.#reset = () => this.#feed = createFeed(onEvent, max, onRetry);
    this.#reset();
  }

  /**
   * Parses the next chunk of the stream, calling `onEvent` for each completed event.
   *
   * @param chunk The next bytes of the body; may be split at any byte offset.
   * @throws {SseBufferOverflowError} when a line or an event's data exceeds `maxBufferSize`.
   */
  feed(chunk: Uint8Array): void {
    this.#feed(chunk);
  }

  /**
   * Forgets everything: the unterminated line and block (never dispatched, as the
   * WHATWG rules require at end of stream), the last event ID and the BOM state, so
   * the parser can take a new stream.
   */
  reset(): void {
    this.#reset();
  }
}

/** The parser proper: a `feed` function over the state of one stream. */
function createFeed(
  onEvent: (event: ServerSentEvent) => void,
  max: number,
  onRetry: ((retryMs: number) => void) | undefined,
): (chunk: Uint8Array) => void {
  // One non-streaming decode call per chunk (much faster than `{ stream: true }` on non-ASCII
  // text); a character cut by the end of a chunk waits, undecoded, in `bytes`.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  /** Decoded start of the current, not yet terminated line. */
  let text = "";
  /**
   * Undecoded bytes that follow `text` (`n` of them): small chunks without a line end, or the
   * start of a multi-byte character cut by the end of a chunk.
   */
  let bytes = EMPTY;
  let n = 0;
  /** The previous chunk ended with CR: an LF at the start of the next one belongs to it. */
  let skipLF = false;
  /** Nothing decoded yet: a leading BOM is still to be stripped. */
  let start = true;
  /** The block's data lines (`lines` of them) joined with LF. */
  let data = "";
  let lines = 0;
  let event = "";
  let id = "";
  let retry: number | undefined;

  const overflow = (what: "line" | "event data"): never => {
    throw new SseBufferOverflowError(max, what);
  };

  /** Appends to the undecoded bytes, growing the buffer geometrically. */
  const push = (chunk: Uint8Array): void => {
    const size = n + chunk.length;
    if (size > bytes.length) {
      const grown = new Uint8Array(Math.max(2 * size, 1024));
      grown.set(bytes.subarray(0, n));
      bytes = grown;
    }
    bytes.set(chunk, n);
    n = size;
  };

  const dispatch = (): void => {
    const r = retry;
    retry = undefined;
    if (lines > 0) {
      const e: ServerSentEvent = { event: event || "message", data, id };
      if (r !== undefined) e.retry = r;
      data = "";
      lines = 0;
      event = "";
      onEvent(e);
    }
    event = "";
  };

  const append = (v: string): void => {
    if (lines++ === 0) data = v;
    else data += "\n" + v;
    if (data.length > max) overflow("event data");
  };

  /** Interprets one complete line `s[a, b)` (terminator excluded). */
  const line = (s: string, a: number, b: number): void => {
    if (a === b) return dispatch();
    if (s.charCodeAt(a) === 0x3a) return; // a comment
    if (b - a > max) overflow("line");
    let colon = a;
    if (s.startsWith("data:", a)) {
      colon += 5;
      if (colon < b && s.charCodeAt(colon) === 0x20) colon++;
      return append(s.slice(colon, b));
    }
    while (colon < b && s.charCodeAt(colon) !== 0x3a) colon++;
    const field = s.slice(a, colon);
    let value = colon + 1;
    if (value < b && s.charCodeAt(value) === 0x20) value++;
    const v = s.slice(value, b);
    if (field === "data") append(v);
    else if (field === "event") event = v;
    else if (field === "id") {
      if (!v.includes("\0")) id = v;
    } else if (field === "retry" && /^\d+$/.test(v)) {
      retry = +v;
      onRetry?.(retry);
    }
  };

  return (chunk) => {
    const len = chunk.length;
    if (len < SMALL_CHUNK && chunk.indexOf(0x0a) < 0 && chunk.indexOf(0x0d) < 0) {
      // A small piece of a line is only buffered: no decode call (and no string) for it.
      if (n + len + text.length > max) overflow("line");
      return push(chunk);
    }
    let input = chunk;
    if (n) {
      push(chunk);
      input = bytes.subarray(0, n);
      n = 0;
    }
    // Cut before a final lead byte whose sequence is still missing bytes (cutting before a
    // lead byte never changes what the WHATWG decoder produces).
    const size = input.length;
    let end = size - 1;
    while (end > 0 && end > size - 4 && input[end] >> 6 === 2) end--;
    const lead = input[end];
    if (lead < 0xc0 || size - end >= (lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4)) end = size;
    let t = decoder.decode(end < size ? input.subarray(0, end) : input);
    if (end < size) push(input.subarray(end));
    if (bytes.length > KEEP_BYTES && !n) bytes = EMPTY;
    if (!t) return;
    if (start) {
      start = false;
      if (t[0] === "\ufeff") t = t.slice(1);
    }
    if (skipLF && t[0] === "\n") t = t.slice(1);
    skipLF = t.endsWith("\r");
    // CR and CRLF become LF, so the loop below handles one kind of line end.
    if (t.includes("\r")) t = t.replace(/\r\n?/g, "\n");
    let pos = 0;
    let lf = t.indexOf("\n");
    if (lf >= 0 && text) {
      const whole = text + t.slice(0, lf);
      text = "";
      line(whole, 0, whole.length);
      lf = t.indexOf("\n", pos = lf + 1);
    }
    for (; lf >= 0; lf = t.indexOf("\n", pos)) {
      line(t, pos, lf);
      // A blank line right after a line (the usual end of an event): no search needed.
      pos = lf + 1;
      if (t.charCodeAt(pos) === 0x0a) {
        dispatch();
        pos++;
      }
    }
    if (pos < t.length) {
      text += t.slice(pos);
      if (text.length > max) overflow("line");
    }
  };
}
