import assert from "node:assert/strict";
import { ServerSentEventParser } from "./parser.ts";
import type { ServerSentEvent } from "./server_sent_event.ts";

// A chunk that ends inside a multi-byte character keeps its start for the next chunk; the lead
// byte says how many bytes the character has, at the edges of each range too.

function parse(chunks: number[][]): string[] {
  const events: ServerSentEvent[] = [];
  const parser = new ServerSentEventParser((event) => events.push(event));
  for (const chunk of chunks) parser.feed(new Uint8Array(chunk));
  return events.map((e) => e.data);
}

const utf8 = (text: string) => [...new TextEncoder().encode(text)];
// Past the small-chunk buffering (256 bytes without a line end): the chunk is decoded at once.
const long = "x".repeat(300);

Deno.test("ServerSentEventParser joins U+0800 (lead byte 0xE0) cut after its second byte", () => {
  assert.deepEqual(
    parse([[...utf8(`data: ${long}`), 0xe0, 0xa0], [0x80, ...utf8("\n\n")]]),
    [`${long}\u0800`],
  );
});

Deno.test("ServerSentEventParser joins U+0080 (lead byte 0xC2) and U+10000 (0xF0) cut after their lead", () => {
  assert.deepEqual(parse([[...utf8(`data: ${long}`), 0xc2], [0x80, ...utf8("\n\n")]]), [
    `${long}\u0080`,
  ]);
  assert.deepEqual(
    parse([[...utf8(`data: ${long}`), 0xf0, 0x90, 0x80], [0x80, ...utf8("\n\n")]]),
    [`${long}\u{10000}`],
  );
});

Deno.test("ServerSentEventParser keeps a U+0001 that starts a chunk after a line end", () => {
  // Only the LF of a CRLF cut after its CR is dropped at the start of the next chunk.
  assert.deepEqual(parse([utf8("data: x\n\ndata: a"), utf8("\u0001b\n\n")]), ["x", "a\u0001b"]);
  assert.deepEqual(parse([utf8("data: x\r"), utf8("\ndata: y\n\n")]), ["x\ny"]);
});
