import assert from "node:assert/strict";
import { ServerSentEventParser } from "./parser.ts";
import type { ServerSentEvent } from "./server_sent_event.ts";

// reset() forgets the block under way: its complete data lines, event type and retry too, not
// only the unterminated line.

const utf8 = (text: string) => new TextEncoder().encode(text);

Deno.test("ServerSentEventParser.reset() forgets the block's complete data, event and retry lines", () => {
  const events: ServerSentEvent[] = [];
  const parser = new ServerSentEventParser((event) => events.push(event));
  parser.feed(utf8("event: old\nretry: 10\ndata: a\n"));
  parser.reset();
  parser.feed(utf8("data: b\n\n"));
  assert.deepEqual(events, [{ event: "message", data: "b", id: "" }]);
});
