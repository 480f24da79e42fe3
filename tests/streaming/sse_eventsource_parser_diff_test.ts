// Differential test of ServerSentEventParser against npm eventsource-parser (the parser most
// JavaScript SSE clients use, also the one bench/sse_bench.ts measures) on generated streams cut
// at random points. eventsource-parser takes text, so its input goes through a streaming
// TextDecoder (ignoreBOM: the parser itself strips the one leading BOM, as ours does). Its
// events carry the block's own `id` (ours: the last event ID, WHATWG's lastEventId) and an
// undefined `event` for "message": the comparison maps both, and compares `retry` through the
// `onRetry` calls of each. A generated stream is also checked against the spec transcription in
// src/sse/_test_helpers.ts, so a shared mistake of the two parsers shows too.
import assert from "node:assert/strict";
import { createParser } from "eventsource-parser";
import { ServerSentEventParser } from "../../src/sse/parser.ts";
import type { ServerSentEvent } from "../../src/sse/server_sent_event.ts";
import { concat, prng, referenceParse, utf8 } from "../../src/sse/_test_helpers.ts";

interface Outcome {
  events: ServerSentEvent[];
  retries: number[];
}

function ours(chunks: readonly Uint8Array[]): Outcome {
  const out: Outcome = { events: [], retries: [] };
  const parser = new ServerSentEventParser(
    // `retry` is compared through onRetry (eventsource-parser puts it on no event).
    ({ event, data, id }) => out.events.push({ event, data, id }),
    { onRetry: (ms) => out.retries.push(ms) },
  );
  for (const chunk of chunks) parser.feed(chunk);
  return out;
}

function theirs(chunks: readonly Uint8Array[]): Outcome {
  const out: Outcome = { events: [], retries: [] };
  let lastEventId = "";
  const parser = createParser({
    // Called at each blank line that ends a block with an id, before that block's event.
    onId: (id) => lastEventId = id,
    onEvent: ({ event, data }) =>
      out.events.push({ event: event ?? "message", data, id: lastEventId }),
    onRetry: (ms) => out.retries.push(ms),
  });
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
  return out;
}

/** How lines start: fields with and without colon and space, comments, unknown fields. */
const HEADS = [
  "data:",
  "data: ",
  "data:  ",
  "data",
  "event:",
  "event: ",
  "event",
  "id:",
  "id: ",
  "id",
  "retry:",
  "retry: ",
  "retry",
  ":",
  ": ",
  "foo:",
  "Data:",
  " data:",
  "\uFEFFdata:",
  "",
];
/** What follows a line's head. */
const VALUES = [
  "x",
  " ",
  ":",
  "42",
  "4x",
  "é",
  "日本",
  "😀",
  "\0",
  "\uFEFF",
  "[DONE]",
  '{"a":1}',
  "ping",
];
const LINE_ENDS = ["\n", "\n", "\r", "\r\n"];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)];
}

/**
 * A generated stream: lines of a field head and values, ended by LF, CR or CRLF, with blank lines
 * between blocks; now and then a BOM at the start, a stray or cut UTF-8 sequence in a value.
 */
function generate(random: () => number): Uint8Array {
  const parts: Uint8Array[] = [];
  if (random() < 0.25) parts.push(new Uint8Array([0xef, 0xbb, 0xbf]));
  const lines = 1 + Math.floor(random() * 30);
  for (let i = 0; i < lines; i++) {
    parts.push(utf8(pick(HEADS, random)));
    for (let n = Math.floor(random() * 3); n > 0; n--) {
      const r = random();
      if (r < 0.04) parts.push(new Uint8Array([0x80 + Math.floor(random() * 0x80)]));
      else if (r < 0.08) parts.push(utf8("😀").subarray(0, 1 + Math.floor(random() * 3)));
      else parts.push(utf8(pick(VALUES, random)));
    }
    parts.push(utf8(pick(LINE_ENDS, random)));
    if (random() < 0.4) parts.push(utf8(pick(LINE_ENDS, random))); // a blank line: dispatch
  }
  // The last line is left open now and then (it and its block are never dispatched).
  if (random() < 0.2) parts.push(utf8("data: open"));
  return concat(...parts);
}

/** `bytes` cut at random points: 1-8 byte pieces mostly, sometimes a large piece. */
function cut(bytes: Uint8Array, random: () => number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length;) {
    const size = random() < 0.8 ? 1 + Math.floor(random() * 8) : 1 + Math.floor(random() * 300);
    chunks.push(bytes.subarray(i, i + size));
    i += size;
  }
  return chunks;
}

Deno.test("ServerSentEventParser dispatches what eventsource-parser does on generated streams cut anywhere", () => {
  const random = prng(0xe5e5);
  let events = 0;
  for (let round = 0; round < 1500; round++) {
    const bytes = generate(random);
    const chunks = cut(bytes, random);
    const expected = theirs(chunks);
    assert.deepEqual(ours(chunks), expected, `round ${round}: ${JSON.stringify([...bytes])}`);
    // Whole, both parsers agree with the spec transcription as well.
    assert.deepEqual(
      ours([bytes]).events,
      referenceParse(bytes).map(({ event, data, id }) => ({ event, data, id })),
      `round ${round} (reference)`,
    );
    events += expected.events.length;
  }
  // The generator makes streams with events, not just noise.
  assert.ok(events > 2000, `only ${events} events`);
});

Deno.test("ServerSentEventParser and eventsource-parser agree on the rules one by one, at every 2-way split", () => {
  const cases = [
    "\uFEFFdata: bom\n\n", // one BOM dropped
    "\uFEFF\uFEFFdata: two\n\ndata: b\n\n", // the second is content: unknown field
    "data: a\r\ndata: b\r\rdata: c\n\n", // CR, LF, CRLF
    "data:x\ndata: y\ndata:  z\n\n", // one space stripped
    "data\n\ndata\ndata\n\n", // no colon: empty value
    ": comment\ndata: a\n:\n\n",
    "id: 1\ndata: a\n\nid: 2\0\ndata: b\n\nid\ndata: c\n\n", // NUL ignored, empty id resets
    "retry: 100\ndata: a\n\nretry: 1a\ndata: b\n\nretry: -1\n\nretry:5\n\n",
    "event: a\n\ndata: b\n\n", // no data: no event, and the type does not leak
    "data: 日本 😀 é\n\n",
    "data: a\n\ndata: unterminated",
    "data: a\n\ndata: cr-ended\r",
  ];
  for (const text of cases) {
    const bytes = utf8(text);
    const expected = theirs([bytes]);
    assert.deepEqual(ours([bytes]), expected, JSON.stringify(text));
    for (let i = 0; i <= bytes.length; i++) {
      const chunks = [bytes.subarray(0, i), bytes.subarray(i)];
      assert.deepEqual(ours(chunks), expected, `${JSON.stringify(text)} split at ${i}`);
    }
  }
});
