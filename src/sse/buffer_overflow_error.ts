/**
 * Thrown (and used to error the stream) when a single line or the data of a single
 * event in a `text/event-stream` body is larger than the parser's `maxBufferSize`.
 *
 * It protects against a hostile or broken upstream that never sends a line break.
 *
 * @example Catching an oversized event
 * ```ts
 * import { ServerSentEventParserStream, SseBufferOverflowError } from "@aoai/edge";
 *
 * const body = new Response("data: " + "x".repeat(100) + "\n\n").body!;
 * const events = body.pipeThrough(new ServerSentEventParserStream({ maxBufferSize: 64 }));
 * try {
 *   for await (const event of events) console.log(event.data);
 * } catch (error) {
 *   console.log(error instanceof SseBufferOverflowError); // true
 * }
 * ```
 */
export class SseBufferOverflowError extends Error {
  /** The limit, in characters of the decoded text, that was exceeded. */
  declare readonly maxBufferSize: number;

  /**
   * Creates the error for a buffer that outgrew `maxBufferSize`.
   *
   * @param maxBufferSize The limit, in characters of the decoded text, that was exceeded.
   * @param what Which buffer overflowed: a single line or the data of one event.
   */
  constructor(maxBufferSize: number, what: "line" | "event data") {
    super(
      `SSE: a single ${what} is over maxBufferSize (${maxBufferSize} characters); raise it if ` +
        "events this large are expected",
    );
    // Own-property order as with a class field: maxBufferSize, then name.
    this.maxBufferSize = maxBufferSize;
    this.name = "SseBufferOverflowError";
  }
}
