import { ServerSentEventParser } from "./parser.ts";
import type { ServerSentEventParserOptions } from "./parser_options.ts";
import type { ServerSentEvent } from "./server_sent_event.ts";

/**
 * A `TransformStream` from the bytes of a `text/event-stream` body to
 * {@linkcode ServerSentEvent}s, following the WHATWG HTML event stream rules (see
 * {@linkcode ServerSentEventParser}). All events completed by one input chunk are
 * enqueued during that chunk's `transform` call.
 *
 * A line, or the data of one event, larger than `maxBufferSize` (default 16 MiB)
 * errors the stream with `SseBufferOverflowError`. An unterminated final block is not
 * dispatched when the input ends.
 *
 * @example Parsing a fetch response body
 * ```ts
 * import { ServerSentEventParserStream } from "@aoai/edge";
 *
 * const response = new Response("event: greeting\ndata: hello\n\ndata: [DONE]\n\n");
 * const events = response.body!.pipeThrough(new ServerSentEventParserStream());
 * for await (const event of events) {
 *   console.log(event.event, event.data); // "greeting hello", then "message [DONE]"
 * }
 * ```
 */
export class ServerSentEventParserStream extends TransformStream<Uint8Array, ServerSentEvent> {
  /**
   * Creates the stream; one instance parses one body.
   *
   * @param options See {@linkcode ServerSentEventParserOptions}.
   */
  constructor(options: ServerSentEventParserOptions = {}) {
    let controller!: TransformStreamDefaultController<ServerSentEvent>;
    const parser = new ServerSentEventParser((event) => controller.enqueue(event), options);
    // Nothing to flush: an unterminated last block is never dispatched, and the stream lets go
    // of the parser when it closes.
    super({
      transform(chunk, c): void {
        controller = c;
        parser.feed(chunk);
      },
    });
  }
}
