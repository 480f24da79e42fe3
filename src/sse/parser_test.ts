import assert from "node:assert/strict";
import { ServerSentEventParser } from "./parser.ts";
import { SseBufferOverflowError } from "./buffer_overflow_error.ts";
import type { ServerSentEvent } from "./server_sent_event.ts";
import { concat, parseChunks, pieces, prng, referenceParse, utf8 } from "./_test_helpers.ts";

function parseText(text: string): ServerSentEvent[] {
  return parseChunks([utf8(text)]);
}

function msg(data: string, id = "", event = "message"): ServerSentEvent {
  return { event, data, id };
}

// ---- the WHATWG rules, one by one -------------------------------------------------------

Deno.test("ServerSentEventParser dispatches a data line on a blank line", () => {
  assert.deepEqual(parseText("data: hello\n\n"), [msg("hello")]);
});

Deno.test("ServerSentEventParser strips exactly one leading BOM", () => {
  const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
  assert.deepEqual(parseChunks([concat(bom, utf8("data: a\n\n"))]), [msg("a")]);
  // A second BOM is content: the first line's field name becomes "\uFEFFdata" (unknown).
  assert.deepEqual(parseChunks([concat(bom, bom, utf8("data: a\n\ndata: b\n\n"))]), [msg("b")]);
});

Deno.test("ServerSentEventParser keeps a BOM that is not at the very start", () => {
  assert.deepEqual(parseText("data: \uFEFFx\n\n\uFEFFdata: y\n\n"), [msg("\uFEFFx")]);
});

Deno.test("ServerSentEventParser strips a leading BOM split over 1-byte chunks", () => {
  const bytes = concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8("data: a\n\n"));
  assert.deepEqual(parseChunks(pieces(bytes, 1)), [msg("a")]);
});

Deno.test("ServerSentEventParser treats a partial BOM prefix as content", () => {
  // EF BB followed by "d" is not a BOM: WHATWG UTF-8 decoding yields one U+FFFD.
  const bytes = concat(new Uint8Array([0xef, 0xbb]), utf8("data: a\n\ndata: b\n\n"));
  assert.deepEqual(parseChunks(pieces(bytes, 1)), [msg("b")]);
  assert.deepEqual(parseChunks([bytes]), referenceParse(bytes));
});

Deno.test("ServerSentEventParser accepts CR, LF and CRLF line ends", () => {
  assert.deepEqual(parseText("data: a\rdata: b\r\n\r\ndata: c\n\ndata: d\r\r"), [
    msg("a\nb"),
    msg("c"),
    msg("d"),
  ]);
});

Deno.test("ServerSentEventParser joins a CR at the end of a chunk with an LF starting the next", () => {
  assert.deepEqual(parseChunks([utf8("data: a\r"), utf8("\n\r"), utf8("\ndata: b\r\n\r\n")]), [
    msg("a"),
    msg("b"),
  ]);
  // A CR at the end of a chunk followed by CR is two line ends (a blank line).
  assert.deepEqual(parseChunks([utf8("data: a\r"), utf8("\rdata: b\n\n")]), [msg("a"), msg("b")]);
  // CR then an empty chunk then LF.
  assert.deepEqual(parseChunks([utf8("data: a\r"), utf8(""), utf8("\n\r\n")]), [msg("a")]);
});

Deno.test("ServerSentEventParser ignores comment lines", () => {
  assert.deepEqual(parseText(": ping\ndata: a\n:\n: another\n\n"), [msg("a")]);
});

Deno.test("ServerSentEventParser reads a line without a colon as a field with an empty value", () => {
  assert.deepEqual(parseText("data\n\n"), [msg("")]);
  assert.deepEqual(parseText("data\ndata\n\n"), [msg("\n")]);
  assert.deepEqual(parseText("event: x\nevent\ndata: a\n\n"), [msg("a")]);
});

Deno.test("ServerSentEventParser strips exactly one space after the colon", () => {
  assert.deepEqual(parseText("data:x\n\ndata: x\n\ndata:  x\n\ndata:\tx\n\n"), [
    msg("x"),
    msg("x"),
    msg(" x"),
    msg("\tx"),
  ]);
  assert.deepEqual(parseText("event:  spaced\ndata: a\n\n"), [msg("a", "", " spaced")]);
});

Deno.test("ServerSentEventParser joins data lines with LF and drops only the last LF", () => {
  assert.deepEqual(parseText("data: a\ndata: b\ndata:\ndata: c\n\n"), [msg("a\nb\n\nc")]);
  assert.deepEqual(parseText("data:\n\n"), [msg("")]);
  assert.deepEqual(parseText("data:\ndata:\n\n"), [msg("\n")]);
});

Deno.test("ServerSentEventParser resets the event type after each dispatch", () => {
  assert.deepEqual(parseText("event: a\ndata: 1\n\ndata: 2\n\n"), [
    msg("1", "", "a"),
    msg("2"),
  ]);
});

Deno.test("ServerSentEventParser dispatches nothing for a block without data", () => {
  assert.deepEqual(parseText("event: a\n\nid: 1\n\nretry: 5\n\n: c\n\n\n\n"), []);
  // ...and that block's event type does not leak into the next event.
  assert.deepEqual(parseText("event: a\n\ndata: b\n\n"), [msg("b")]);
});

Deno.test("ServerSentEventParser defaults the event type to message", () => {
  assert.deepEqual(parseText("data: a\n\nevent:\ndata: b\n\n"), [msg("a"), msg("b")]);
});

Deno.test("ServerSentEventParser keeps the last event ID across events", () => {
  assert.deepEqual(parseText("id: 1\ndata: a\n\ndata: b\n\nid: 2\n\ndata: c\n\nid\ndata: d\n\n"), [
    msg("a", "1"),
    msg("b", "1"),
    msg("c", "2"),
    msg("d", ""),
  ]);
});

Deno.test("ServerSentEventParser ignores an id that contains NUL", () => {
  assert.deepEqual(parseText("id: 7\ndata: a\n\nid: 8\0x\ndata: b\n\n"), [
    msg("a", "7"),
    msg("b", "7"),
  ]);
});

Deno.test("ServerSentEventParser sets retry only when the value is all ASCII digits", () => {
  const events = parseText(
    "retry: 1500\ndata: a\n\nretry: 12a\ndata: b\n\nretry:\ndata: c\n\n" +
      "retry: -1\ndata: d\n\nretry: 1.5\ndata: e\n\nretry:  7\ndata: f\n\nretry:0\ndata: g\n\n",
  );
  assert.deepEqual(events, [
    { ...msg("a"), retry: 1500 },
    msg("b"),
    msg("c"),
    msg("d"),
    msg("e"),
    msg("f"),
    { ...msg("g"), retry: 0 },
  ]);
});

Deno.test("ServerSentEventParser reports retry through onRetry even without data", () => {
  const retries: number[] = [];
  const events: ServerSentEvent[] = [];
  const parser = new ServerSentEventParser((e) => events.push(e), {
    onRetry: (ms) => retries.push(ms),
  });
  parser.feed(utf8("retry: 3000\n\nretry: x\n\nretry: 10\ndata: a\n\n"));
  assert.deepEqual(retries, [3000, 10]);
  assert.deepEqual(events, [{ ...msg("a"), retry: 10 }]);
});

Deno.test("ServerSentEventParser ignores unknown and differently cased fields", () => {
  assert.deepEqual(parseText("foo: bar\nData: x\nDATA: y\n data: z\ndata: a\n\n"), [msg("a")]);
});

Deno.test("ServerSentEventParser does not dispatch an unterminated final block", () => {
  assert.deepEqual(parseText("data: a\n\ndata: b\n"), [msg("a")]);
  assert.deepEqual(parseText("data: a\n\ndata: b"), [msg("a")]);
  assert.deepEqual(parseText("data: a\n\ndata: b\r"), [msg("a")]);
});

Deno.test("ServerSentEventParser decodes a multi-byte character split across chunks", () => {
  const bytes = utf8("data: 日本語 😀 é\n\n");
  for (let size = 1; size <= 5; size++) {
    assert.deepEqual(parseChunks(pieces(bytes, size)), [msg("日本語 😀 é")], `size ${size}`);
  }
});

Deno.test("ServerSentEventParser decodes invalid UTF-8 as U+FFFD", () => {
  const bytes = concat(
    utf8("data: "),
    new Uint8Array([0xff, 0x41, 0xc3]), // invalid byte, "A", truncated 2-byte sequence
    utf8("\nid: "),
    new Uint8Array([0xe6, 0x97]), // truncated 3-byte sequence before the line end
    utf8("\ndata: "),
    new Uint8Array([0xed, 0xa0, 0x80]), // a UTF-8-encoded surrogate
    utf8("\n\n"),
  );
  const expected = [msg("\uFFFDA\uFFFD\n\uFFFD\uFFFD\uFFFD", "\uFFFD")];
  assert.deepEqual(parseChunks([bytes]), expected);
  assert.deepEqual(referenceParse(bytes), expected);
  for (let size = 1; size <= 4; size++) {
    assert.deepEqual(parseChunks(pieces(bytes, size)), expected, `size ${size}`);
  }
});

Deno.test("ServerSentEventParser.reset() forgets the pending block, last event ID and BOM state", () => {
  const events: ServerSentEvent[] = [];
  const parser = new ServerSentEventParser((e) => events.push(e));
  parser.feed(utf8("id: 5\ndata: a\n\ndata: half"));
  parser.reset();
  parser.feed(concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8("data: b\n\n")));
  assert.deepEqual(events, [msg("a", "5"), msg("b")]);
});

// ---- maxBufferSize and hostile input ------------------------------------------------------

Deno.test("ServerSentEventParser rejects a maxBufferSize that is not positive", () => {
  assert.throws(() => new ServerSentEventParser(() => {}, { maxBufferSize: 0 }), RangeError);
  assert.throws(() => new ServerSentEventParser(() => {}, { maxBufferSize: NaN }), RangeError);
});

Deno.test("ServerSentEventParser throws SseBufferOverflowError when one line exceeds maxBufferSize", () => {
  const line = "data: " + "x".repeat(100) + "\n\n";
  // The line is 106 bytes: allowed at 106, rejected at 105, in one chunk or in many.
  assert.deepEqual(parseChunks([utf8(line)], { maxBufferSize: 106 }), [msg("x".repeat(100))]);
  for (const size of [1, 7, 200]) {
    const chunks = pieces(utf8(line), size);
    assert.deepEqual(parseChunks(chunks, { maxBufferSize: 106 }).length, 1);
    assert.throws(
      () => parseChunks(chunks, { maxBufferSize: 105 }),
      (error: unknown) => {
        assert.ok(error instanceof SseBufferOverflowError);
        assert.equal(error.name, "SseBufferOverflowError");
        assert.equal(error.maxBufferSize, 105);
        assert.match(error.message, /maxBufferSize \(105 characters\)/);
        return true;
      },
    );
  }
});

Deno.test("ServerSentEventParser counts maxBufferSize in characters whatever the chunking", () => {
  // 106 characters, 206 bytes (é is 2 bytes), 106 + 12 bytes for "😀" x3 (2 units, 4 bytes each).
  for (const body of ["é".repeat(100), "é".repeat(94) + "😀".repeat(3)]) {
    const line = "data: " + body + "\n\n";
    for (const size of [1, 2, 3, 7, 50, 255, 1000]) {
      const chunks = pieces(utf8(line), size);
      assert.deepEqual(parseChunks(chunks, { maxBufferSize: 106 }), [msg(body)], `size ${size}`);
      assert.throws(() => parseChunks(chunks, { maxBufferSize: 105 }), SseBufferOverflowError);
    }
  }
  // A BOM cut into single bytes near a tiny limit is still dropped.
  assert.deepEqual(parseChunks(pieces(utf8("\uFEFFdata: é\n\n"), 1), { maxBufferSize: 7 }), [
    msg("é"),
  ]);
});

Deno.test("ServerSentEventParser throws SseBufferOverflowError when one event's data exceeds maxBufferSize", () => {
  const block = "data: 0123456789\n".repeat(10) + "\n"; // data is 10*10 + 9 = 109 chars
  assert.equal(parseChunks([utf8(block)], { maxBufferSize: 109 }).length, 1);
  assert.throws(() => parseChunks([utf8(block)], { maxBufferSize: 108 }), SseBufferOverflowError);
  // Many small events are fine: the limit is per event, not per stream.
  assert.equal(parseChunks([utf8(block.repeat(50))], { maxBufferSize: 109 }).length, 50);
});

Deno.test("ServerSentEventParser stops buffering a hostile stream that never ends a line", () => {
  const parser = new ServerSentEventParser(() => {}, { maxBufferSize: 64 * 1024 });
  const junk = utf8("x".repeat(4096));
  let fed = 0;
  assert.throws(() => {
    for (let i = 0; i < 1000; i++) {
      parser.feed(junk);
      fed += junk.length;
    }
  }, SseBufferOverflowError);
  assert.equal(fed, 64 * 1024); // 16 chunks fit; the 17th overflows
});

Deno.test("ServerSentEventParser survives hostile but bounded input", () => {
  const hostile = concat(
    utf8(":".repeat(500) + "\n" + "\n".repeat(1000) + "\r".repeat(1000) + "\r\n".repeat(500)),
    new Uint8Array(300), // NUL bytes: a line made of NULs is an unknown field
    utf8("\nid: \0\ndata: \0\0\nretry: 99999999999999999999\n\n"),
    utf8("event: " + "e".repeat(300) + "\ndata:" + ":".repeat(50) + "\n\n"),
    new Uint8Array([0x80, 0x80, 0xfe, 0xff, 0x0a, 0x0a]),
  );
  const expected = referenceParse(hostile);
  assert.equal(expected.length, 2);
  assert.deepEqual(parseChunks([hostile]), expected);
  assert.deepEqual(parseChunks(pieces(hostile, 1)), expected);
  assert.deepEqual(parseChunks(pieces(hostile, 13)), expected);
});

// ---- every split point -------------------------------------------------------------------

const REPRESENTATIVE: Array<[string, Uint8Array]> = [
  [
    "azure chat",
    utf8(
      'data: {"choices":[],"prompt_filter_results":[{"prompt_index":0}]}\n\n' +
        'data: {"choices":[{"delta":{"role":"assistant","content":""},"index":0}]}\n\n' +
        'data: {"choices":[{"delta":{"content":"日本語 😀"},"index":0}]}\n\n' +
        "data: [DONE]\n\n",
    ),
  ],
  [
    "mixed line ends",
    concat(
      new Uint8Array([0xef, 0xbb, 0xbf]),
      utf8(
        ": hi\r\nid: 1\revent: up\ndata: a\r\ndata:b\r\r" +
          "retry: 10\ndata\n\nid: 2\0\ndata:  é\r\n\r\ndata: tail",
      ),
    ),
  ],
  [
    "invalid utf-8",
    concat(
      utf8("data: "),
      new Uint8Array([0xf0, 0x9f, 0x98]),
      utf8("\r\n\r\ndata: "),
      new Uint8Array([0xc3, 0xa9, 0xff]),
      utf8("\n\n"),
    ),
  ],
];

Deno.test("ServerSentEventParser matches the reference parser for the representative streams", () => {
  for (const [name, bytes] of REPRESENTATIVE) {
    const expected = referenceParse(bytes);
    assert.ok(expected.length >= 2, name);
    assert.deepEqual(parseChunks([bytes]), expected, name);
  }
});

Deno.test("ServerSentEventParser gives the same events for every 2-way split point", () => {
  for (const [name, bytes] of REPRESENTATIVE) {
    const expected = parseChunks([bytes]);
    for (let i = 0; i <= bytes.length; i++) {
      const chunks = [bytes.subarray(0, i), bytes.subarray(i)];
      assert.deepEqual(parseChunks(chunks), expected, `${name}: split at ${i}`);
    }
  }
});

Deno.test("ServerSentEventParser gives the same events for every 3-way split of small streams", () => {
  for (const [name, full] of REPRESENTATIVE) {
    const bytes = full.subarray(0, 80);
    const expected = referenceParse(bytes);
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const chunks = [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)];
        assert.deepEqual(parseChunks(chunks), expected, `${name}: split at ${i}, ${j}`);
      }
    }
  }
});

Deno.test("ServerSentEventParser gives the same events for 1-byte chunks", () => {
  for (const [name, bytes] of REPRESENTATIVE) {
    assert.deepEqual(parseChunks(pieces(bytes, 1)), referenceParse(bytes), name);
  }
});

Deno.test("ServerSentEventParser matches the reference parser on random streams and splits", () => {
  const random = prng(0x5eed);
  const tokens = [
    "data",
    "data:",
    "data: ",
    "event:",
    "id:",
    "id: 1",
    "retry:",
    "retry: 42",
    "x",
    "é",
    "😀",
    ":",
    " ",
    "\n",
    "\n",
    "\n",
    "\r",
    "\r\n",
    "\0",
    "\uFEFF",
    "[DONE]",
    "{}",
  ];
  for (let round = 0; round < 300; round++) {
    const parts: Uint8Array[] = [];
    if (random() < 0.2) parts.push(new Uint8Array([0xef, 0xbb, 0xbf]));
    const count = 1 + Math.floor(random() * 40);
    for (let i = 0; i < count; i++) {
      if (random() < 0.03) parts.push(new Uint8Array([0x80 + Math.floor(random() * 0x80)]));
      else parts.push(utf8(tokens[Math.floor(random() * tokens.length)]));
    }
    const bytes = concat(...parts);
    const expected = referenceParse(bytes);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length;) {
      const size = 1 + Math.floor(random() * 9);
      chunks.push(bytes.subarray(i, i + size));
      i += size;
    }
    assert.deepEqual(parseChunks(chunks), expected, `round ${round}`);
  }
});

Deno.test("ServerSentEventParser matches the reference on large chunks cut inside characters", () => {
  // Over 256 bytes per chunk takes the decode-first path; cut points fall inside 2-, 3- and
  // 4-byte characters, invalid bytes and CRLF pairs.
  const unit = concat(
    utf8("data: é日本😀 mixed text é\r\nid: 日\r\n\r\n: comment 😀\rdata: x"),
    new Uint8Array([0xf0, 0x9f, 0x98]), // truncated 4-byte sequence
    utf8("\ndata: "),
    new Uint8Array([0xe6, 0x97, 0xa5, 0xff, 0xc3]),
    utf8("\n\nevent: ü\ndata: 😀😀😀\n\n"),
  );
  const parts: Uint8Array[] = [];
  for (let i = 0; i < 12; i++) parts.push(unit);
  const bytes = concat(...parts);
  assert.ok(bytes.length > 1000);
  const expected = referenceParse(bytes);
  assert.equal(expected.length, 36);
  for (let i = 0; i <= bytes.length; i++) {
    const chunks = [bytes.subarray(0, i), bytes.subarray(i)];
    assert.deepEqual(parseChunks(chunks), expected, `split at ${i}`);
  }
  const random = prng(42);
  for (let round = 0; round < 200; round++) {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length;) {
      const size = random() < 0.5 ? 1 + Math.floor(random() * 8) : 256 + Math.floor(random() * 600);
      chunks.push(bytes.subarray(i, i + size));
      i += size;
    }
    assert.deepEqual(parseChunks(chunks), expected, `round ${round}`);
  }
});
