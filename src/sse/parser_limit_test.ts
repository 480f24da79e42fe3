import assert from "node:assert/strict";
import { ServerSentEventParser } from "./parser.ts";
import { SseBufferOverflowError } from "./buffer_overflow_error.ts";
import type { ServerSentEvent } from "./server_sent_event.ts";
import { concat, parseChunks, prng, referenceParse, utf8 } from "./_test_helpers.ts";

/**
 * What `maxBufferSize` allows for a whole stream, in characters of its decoded text: "ok" (must
 * match the reference), "throw" (a line or an event's data is over it) or "either" (only a
 * comment line, or a final line whose last character is still incomplete, is over it).
 */
function verdict(bytes: Uint8Array, max: number): "ok" | "throw" | "either" {
  const lines = new TextDecoder().decode(bytes).split(/\r\n|\r|\n/);
  let result: "ok" | "throw" | "either" = "ok";
  let data: number | undefined;
  lines.forEach((line, i) => {
    const last = i === lines.length - 1;
    if (line.length > max) {
      if (line.startsWith(":") || (last && line.length - 1 <= max)) result = "either";
      else return result = "throw";
    }
    if (last || result === "throw") return;
    if (line === "") return data = undefined;
    const colon = line.indexOf(":");
    if ((colon === -1 ? line : line.slice(0, colon)) !== "data") return;
    const value = colon === -1 ? "" : line.slice(colon + (line[colon + 1] === " " ? 2 : 1));
    data = data === undefined ? value.length : data + 1 + value.length;
    if (data > max) result = "throw";
  });
  return result;
}

function run(chunks: Uint8Array[], max: number): ServerSentEvent[] | "overflow" {
  try {
    return parseChunks(chunks, { maxBufferSize: max });
  } catch (error) {
    if (error instanceof SseBufferOverflowError) return "overflow";
    throw error;
  }
}

Deno.test("ServerSentEventParser matches the reference near a small maxBufferSize on random streams and tiny chunks", () => {
  const random = prng(0x11a17);
  const tokens = ["data", "data:", "data: ", "event:", "id: 1", "retry: 4", "x", "é", "€", "😀"]
    .concat([":", " ", "\n", "\n", "\n", "\r", "\r", "\r\n", "\uFEFF"]);
  const seen = { ok: 0, throw: 0, either: 0 };
  for (let round = 0; round < 6000; round++) {
    const parts: Uint8Array[] = [];
    if (random() < 0.4) parts.push(new Uint8Array([0xef, 0xbb, 0xbf]));
    const count = 1 + Math.floor(random() * 24);
    for (let i = 0; i < count; i++) {
      if (random() < 0.03) parts.push(new Uint8Array([0x80 + Math.floor(random() * 0x80)]));
      else parts.push(utf8(tokens[Math.floor(random() * tokens.length)]));
    }
    const bytes = concat(...parts);
    const max = random() < 0.1 ? 0.5 + random() * 3 : 1 + Math.floor(random() * 20);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length;) {
      const size = random() < 0.05 ? 256 + Math.floor(random() * 8) : 1 + Math.floor(random() * 4);
      chunks.push(bytes.subarray(i, i + size));
      i += size;
    }
    const expected = verdict(bytes, max);
    seen[expected]++;
    const got = run(chunks, max);
    const label = `round ${round}, max ${max}: ${JSON.stringify(chunks.map((c) => [...c]))}`;
    if (expected === "throw") assert.equal(got, "overflow", label);
    else if (expected === "ok" || got !== "overflow") {
      assert.deepEqual(got, referenceParse(bytes), label);
    }
  }
  assert.ok(seen.ok > 1000 && seen.throw > 1000, JSON.stringify(seen));
});

Deno.test("ServerSentEventParser strips a BOM cut into pieces over a limit under 2 characters", () => {
  // [EF BB] is over a limit of 1 and decodes to nothing; the BOM state must survive it.
  for (const cuts of [[[0xef, 0xbb], [0xbf]], [[0xef], [0xbb], [0xbf]], [[0xef], [0xbb, 0xbf]]]) {
    const chunks = [...cuts.map((bytes) => new Uint8Array(bytes)), utf8(":\nx\n")];
    assert.deepEqual(parseChunks(chunks, { maxBufferSize: 1 }), [], JSON.stringify(cuts));
  }
});

Deno.test("ServerSentEventParser decodes small chunks far below maxBufferSize only at a line end", () => {
  const decode = TextDecoder.prototype.decode;
  let calls = 0;
  TextDecoder.prototype.decode = function (...args) {
    calls++;
    return decode.apply(this, args);
  };
  try {
    const events: ServerSentEvent[] = [];
    const parser = new ServerSentEventParser((event) => events.push(event), {
      maxBufferSize: 4096,
    });
    const bytes = utf8("data: " + "日本😀".repeat(200) + "\n\n");
    for (let i = 0; i < bytes.length; i += 5) parser.feed(bytes.subarray(i, i + 5));
    assert.equal(events.length, 1);
    assert.equal(calls, 1);
  } finally {
    TextDecoder.prototype.decode = decode;
  }
});
