import assert from "node:assert/strict";
import { ServerSentEventParser } from "./parser.ts";
import type { ServerSentEvent } from "./server_sent_event.ts";

// A small piece of a line is buffered as bytes; each parser's buffer is its own, even the empty
// one a parser starts (and resets) with, so parsers reading side by side never mix their lines.

const utf8 = (text: string) => new TextEncoder().encode(text);

Deno.test("two ServerSentEventParsers buffering 1-byte pieces at once keep their own bytes", () => {
  const a: ServerSentEvent[] = [];
  const b: ServerSentEvent[] = [];
  const pa = new ServerSentEventParser((event) => a.push(event));
  const pb = new ServerSentEventParser((event) => b.push(event));
  pa.feed(utf8("d"));
  pb.feed(utf8("x"));
  pa.feed(utf8("ata: 1\n\n"));
  pb.feed(utf8(": comment\ndata: 2\n\n"));
  assert.deepEqual(a, [{ event: "message", data: "1", id: "" }]);
  assert.deepEqual(b, [{ event: "message", data: "2", id: "" }]);
});

Deno.test("a reset ServerSentEventParser and another one keep their own bytes", () => {
  const a: ServerSentEvent[] = [];
  const pa = new ServerSentEventParser((event) => a.push(event));
  const pb = new ServerSentEventParser(() => {});
  pa.feed(utf8("data: big\n\n"));
  pa.reset();
  pa.feed(utf8("d"));
  pb.feed(utf8("x"));
  pa.feed(utf8("ata: 1\n\n"));
  assert.deepEqual(a, [{ event: "message", data: "big", id: "" }, {
    event: "message",
    data: "1",
    id: "",
  }]);
});
