/**
 * The JSON tap of `observeResponse()`: a reply up to 1 MiB is parsed whole (its usage, an
 * error's code), however it is chunked; past 1 MiB only its last 64 KiB or more are kept, and the
 * usage is read from there (its `"usage"` key, not the word in a string), however that tail is
 * chunked.
 */
import assert from "node:assert/strict";
import { chunked, observe } from "../tests/edge/_observe.ts";

const MIB = 1024 * 1024;
const KIB = 1024;
const USAGE = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };

/** `{ "pad": "xxx…", ...rest }` as JSON of exactly `bytes` bytes. */
function padded(bytes: number, rest: Record<string, unknown>): string {
  const bare = JSON.stringify({ pad: "", ...rest });
  assert.ok(bytes >= bare.length);
  return JSON.stringify({ pad: "x".repeat(bytes - bare.length), ...rest });
}

/** `text` in pieces of `size` bytes (the last one shorter). */
function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

async function eventOf(chunks: string[], init: ResponseInit = {}) {
  const { response, delivered } = observe(chunked(chunks, "application/json", init));
  await response.arrayBuffer();
  return (await delivered).event;
}

Deno.test("JSON tap: a reply under 1 MiB in many chunks, or in one chunk over 64 KiB, is parsed whole", async () => {
  const text = padded(300 * KIB, { usage: USAGE });
  for (const size of [10 * KIB, 100 * KIB, text.length]) {
    const event = await eventOf(pieces(text, size));
    assert.deepEqual(event.usage, USAGE, `chunks of ${size} bytes`);
  }
});

Deno.test("JSON tap: an error reply's code is reported up to 1 MiB exactly; past it, its status", async () => {
  const error = { error: { code: "content_filter", message: "filtered" } };
  for (
    const [bytes, reported] of [[200, "content_filter"], [MIB, "content_filter"], [
      MIB + 1,
      "400",
    ]] as const
  ) {
    const text = padded(bytes, error);
    assert.equal(text.length, bytes);
    const event = await eventOf(pieces(text, 256 * KIB), { status: 400 });
    assert.equal(event.error, reported, `${bytes} bytes`);
  }
});

Deno.test("JSON tap: a code that could be a message (spaces, too long) is reported as the status", async () => {
  for (const code of ["not a code", "x".repeat(65), 42]) {
    const event = await eventOf([JSON.stringify({ error: { code } })], { status: 429 });
    assert.equal(event.error, "429", String(code));
  }
  const event = await eventOf([JSON.stringify({ error: { code: "x".repeat(64) } })], {
    status: 429,
  });
  assert.equal(event.error, "x".repeat(64));
});

Deno.test("JSON tap: past 1 MiB, a usage split over the last two chunks is still read (prompt, completion and total)", async () => {
  const text = padded(MIB + 300 * KIB, { usage: USAGE });
  const at = text.indexOf('"completion_tokens"');
  // Equal chunks up to the usage's middle, then its rest alone.
  const head = text.slice(0, at);
  const chunks = [...pieces(head, 8 * KIB), text.slice(at)];
  const event = await eventOf(chunks);
  assert.deepEqual(event.usage, USAGE);
});

Deno.test("JSON tap: past 1 MiB, a transcription's input and output tokens are read as prompt and completion", async () => {
  const usage = { type: "tokens", input_tokens: 40, output_tokens: 9, total_tokens: 49 };
  const text = padded(MIB + 100 * KIB, { text: "hello", usage });
  const event = await eventOf(pieces(text, 64 * KIB));
  assert.deepEqual(event.usage, { prompt_tokens: 40, completion_tokens: 9, total_tokens: 49 });
});

Deno.test('JSON tap: past 1 MiB, a last "usage" that is a string value, not a key, gives no usage', async () => {
  const text = padded(MIB + 10 * KIB, { note: "usage", total_tokens: 5, prompt_tokens: 5 });
  const event = await eventOf(pieces(text, 64 * KIB));
  assert.equal(event.usage, undefined);
});
