/**
 * The cut-stream check (edge/_sse_done.ts) reads a `data: [DONE]` line only after a real line
 * break. A model's output, which the client steers through its prompt, reaches the stream as JSON
 * text, where a line break is written `\n`: content spelling out a [DONE] line (with LF, CRLF,
 * U+2028, NEL or VT before it) cannot make a cut reply read as whole, nor such content with the
 * real [DONE] after it make a whole reply read as cut, however the bytes are split.
 */
import assert from "node:assert/strict";
import { doneTracker } from "../../edge/_sse_done.ts";

const encoder = new TextEncoder();
const event = (content: string) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
const FORGED = [
  "\ndata: [DONE]\n\n",
  "\r\ndata: [DONE]\r\n\r\n",
  "\u2028data: [DONE]",
  "\u0085data: [DONE]",
  "\u000bdata: [DONE]",
  "data: [DONE]",
];

/** Whether the tracker saw [DONE], fed `text` in pieces of `size` bytes. */
function doneAfter(text: string, size: number): boolean {
  const bytes = encoder.encode(text);
  const tracker = doneTracker();
  for (let i = 0; i < bytes.length; i += size) tracker.feed(bytes.subarray(i, i + size));
  return tracker.done;
}

Deno.test("content spelling out a data: [DONE] line does not pass a cut stream as whole", () => {
  for (const content of FORGED) {
    for (const size of [1, 2, 7, 1 << 20]) {
      const text = event("Sure: ") + event(content);
      assert.equal(
        doneAfter(text, size),
        false,
        `${JSON.stringify(content)} in ${size}-byte chunks`,
      );
      assert.equal(doneAfter(text + "data: [DONE]\n\n", size), true, JSON.stringify(content));
    }
  }
});
