/**
 * Server-sent events: a WHATWG-exact, byte-level `text/event-stream` parser and its
 * `TransformStream` wrapper.
 *
 * @example Parsing a response body
 * ```ts
 * import { ServerSentEventParserStream } from "@aoai/edge";
 *
 * const body = new Response("data: hi\n\n").body!;
 * for await (const event of body.pipeThrough(new ServerSentEventParserStream())) {
 *   console.log(event.data); // "hi"
 * }
 * ```
 *
 * @module
 */
export { SseBufferOverflowError } from "./buffer_overflow_error.ts";
export { ServerSentEventParser } from "./parser.ts";
export {
  DEFAULT_SSE_MAX_BUFFER_SIZE,
  type ServerSentEventParserOptions,
} from "./parser_options.ts";
export { ServerSentEventParserStream } from "./parser_stream.ts";
export type { ServerSentEvent } from "./server_sent_event.ts";
