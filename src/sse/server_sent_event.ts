/**
 * One dispatched event of a `text/event-stream` body.
 *
 * Field semantics follow the WHATWG HTML "event stream interpretation" rules:
 * `event` is `"message"` unless the block set it, `data` is the block's `data:`
 * lines joined with `"\n"`, `id` is the last event ID seen so far in the stream (it
 * persists across events), and `retry` is present only on the event whose block
 * carried a valid `retry:` field.
 *
 * @example Reading the fields of a parsed event
 * ```ts
 * import type { ServerSentEvent } from "@aoai/edge";
 *
 * const event: ServerSentEvent = { event: "message", data: '{"a":1}', id: "" };
 * console.log(JSON.parse(event.data).a); // 1
 * ```
 */
export interface ServerSentEvent {
  /** The event type; `"message"` when the block had no `event:` field. */
  event: string;
  /** The data lines of the block joined with `"\n"` (no trailing newline). */
  data: string;
  /** The last event ID of the stream at dispatch time (`""` when none was sent). */
  id: string;
  /** The reconnection time in milliseconds, when this event's block carried `retry:`. */
  retry?: number;
}
