/**
 * Default for `maxBufferSize`: 16 Mi characters (16 MiB of ASCII). Far above any chat or completions chunk, low
 * enough that a stream which never sends a line break fails long before an edge
 * runtime (128 MiB isolates) runs out of memory.
 *
 * @example Using the default explicitly
 * ```ts
 * import { DEFAULT_SSE_MAX_BUFFER_SIZE, ServerSentEventParser } from "@aoai/edge";
 *
 * const parser = new ServerSentEventParser((event) => console.log(event.data), {
 *   maxBufferSize: DEFAULT_SSE_MAX_BUFFER_SIZE,
 * });
 * parser.feed(new TextEncoder().encode("data: hi\n\n")); // hi
 * console.log(DEFAULT_SSE_MAX_BUFFER_SIZE); // 16777216
 * ```
 */
export const DEFAULT_SSE_MAX_BUFFER_SIZE: number = 16 * 1024 * 1024;

/**
 * Options of `ServerSentEventParser` and `ServerSentEventParserStream`.
 *
 * @example Limiting lines and events to 1 MiB
 * ```ts
 * import type { ServerSentEventParserOptions } from "@aoai/edge";
 *
 * const options: ServerSentEventParserOptions = { maxBufferSize: 1024 * 1024 };
 * console.log(options.maxBufferSize); // 1048576
 * ```
 */
export interface ServerSentEventParserOptions {
  /**
   * Largest single line, and largest total `data` of one event, in characters of the decoded
   * text (UTF-16 code units: one per ASCII byte; multibyte text takes up to 3 UTF-8 bytes per
   * unit). Exceeding it throws `SseBufferOverflowError`. Default
   * {@linkcode DEFAULT_SSE_MAX_BUFFER_SIZE}.
   */
  maxBufferSize?: number;
  /**
   * Called as soon as a valid `retry:` field is parsed, even when its block dispatches
   * no event (the event that does get dispatched from that block also carries `retry`).
   */
  onRetry?: (retryMs: number) => void;
}
