// The logger's Tail keeps the last 8 KiB of a body (for `done`'s usage and an event stream's
// [DONE]): which bytes it keeps, whatever the chunking, and how done() and usage() read them.
import assert from "node:assert/strict";
import { Tail } from "../../src/middleware/logger.ts";

const TAIL = 8 * 1024;
const encoder = new TextEncoder();

/** Bytes 0..n-1 as a running pattern (each byte tells where it was). */
const pattern = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) % 251);

const kept = (tail: Tail) => tail.buffer?.subarray(0, tail.length) ?? new Uint8Array();

Deno.test("Tail keeps at least the last 8 KiB of what passed, and only what passed, in order", () => {
  for (const size of [1, 100, 1000, 4095, 4096, 5000, TAIL - 1, TAIL, TAIL + 1, 3 * TAIL]) {
    const tail = new Tail();
    let total = 0;
    for (let i = 0; i < 7; i++) {
      tail.push(pattern(size, total));
      total += size;
      const got = kept(tail);
      const want = Math.min(total, TAIL);
      assert.ok(got.length >= want && got.length <= 2 * TAIL, `${size}×${i + 1}: ${got.length}`);
      assert.deepEqual(got, pattern(got.length, total - got.length), `${size}×${i + 1}`);
    }
  }
});

Deno.test("Tail ignores a chunk that is not bytes", () => {
  const tail = new Tail();
  tail.push(encoder.encode("data: [DONE]"));
  tail.push("more" as never);
  tail.push(undefined as never);
  assert.equal(new TextDecoder().decode(kept(tail)), "data: [DONE]");
  assert.equal(tail.done(), true);
});

Deno.test("Tail.done(): the bytes end with [DONE], blanks and line ends after it allowed", () => {
  const done = (...chunks: string[]) => {
    const tail = new Tail();
    for (const c of chunks) tail.push(encoder.encode(c));
    return tail.done();
  };
  assert.equal(done("[DONE]"), true, "exactly [DONE]");
  assert.equal(done("data: [DONE]\n\n"), true);
  assert.equal(done("data: [DONE]\r\n\r\n \t"), true);
  assert.equal(done("data: [DO", "NE]", "\n", "\n"), true);
  assert.equal(done("DONE]"), false);
  assert.equal(done("data: [DONE]x\n"), false);
  assert.equal(done("data: [DONE] ."), false);
  assert.equal(done("\n\n"), false);
  assert.equal(done("[DONE]!"), false, "! (33) is not a blank");
  assert.equal(new Tail().done(), false, "nothing passed");
});

Deno.test("Tail.usage() reads a usage key at the very start, and nested objects and strings in it", () => {
  const usage = (text: string) => {
    const tail = new Tail();
    tail.push(encoder.encode(text));
    return tail.usage();
  };
  assert.deepEqual(usage('"usage":{"prompt_tokens":3,"total_tokens":3}'), {
    prompt_tokens: 3,
    total_tokens: 3,
  });
  assert.deepEqual(
    usage(
      '{"x":1,"usage":{"note":"a } and a \\" and {","prompt_tokens_details":{"cached_tokens":1},' +
        '"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}',
    ),
    { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
  );
  assert.deepEqual(
    usage('{"usage":{"prompt_tokens":1,"total_tokens":1}} {"usage":{"total_tokens":"x"}}'),
    { prompt_tokens: 1, total_tokens: 1 },
    "the last usage holds no counts: the one before",
  );
  assert.deepEqual(
    usage('{"usage":{"abc":"}x","prompt_tokens":6,"total_tokens":6}}'),
    { prompt_tokens: 6, total_tokens: 6 },
    "a } in a string of odd length",
  );
  assert.deepEqual(
    usage('{"usage":{"prompt_tokens":1,"total_tokens":1,"model":"gpt"}}'),
    { prompt_tokens: 1, total_tokens: 1 },
    "a string member last",
  );
  assert.equal(usage('{"usage":{"prompt_tokens":1,"total_tokens":1,"s":"}'), undefined, "cut");
  assert.equal(
    usage('"usage":null,"x":1'),
    undefined,
    "a usage key at the start holding no object",
  );
  assert.equal(usage(""), undefined);
});

Deno.test("Tail.usage() reads only the last 8 KiB: a usage before them is not found", () => {
  const head = encoder.encode('{"usage":{"prompt_tokens":1,"total_tokens":1},"pad":"');
  const tail = new Tail();
  tail.push(head);
  tail.push(encoder.encode("x".repeat(TAIL - head.length + 10)));
  assert.equal(tail.usage(), undefined);
});
