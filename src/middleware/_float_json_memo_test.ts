import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { FloatJsonMemo } from "./_float_json_memo.ts";
import { float32Json, floatsToBytes } from "./_float32.ts";

/** The memo's UTF-8 bytes as text. */
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("FloatJsonMemo.json() returns the same text as float32Json for new and remembered vectors", () => {
  const memo = new FloatJsonMemo(10_000);
  const bytes = floatsToBytes([0.25, -1.5, 3.141592653589793]);
  const first = text(memo.json("k", bytes));
  assert.equal(first, float32Json(bytes));
  assert.equal(text(memo.json("k", bytes.slice())), first);
});

Deno.test("FloatJsonMemo.json() never serves an older vector's text for changed bytes", () => {
  const memo = new FloatJsonMemo(10_000);
  const a = floatsToBytes([1, 2, 3]);
  const b = floatsToBytes([1, 2, 4]);
  memo.json("k", a);
  assert.equal(text(memo.json("k", b)), float32Json(b));
  assert.equal(text(memo.json("k", b)), "[1,2,4]");
});

Deno.test("FloatJsonMemo.json() stays within its character budget, oldest out first", () => {
  const memo = new FloatJsonMemo(20);
  const a = floatsToBytes([0.5, 0.5]); // "[0.5,0.5]" = 9 chars
  const b = floatsToBytes([0.25, 0.25]); // 11 chars
  const c = floatsToBytes([1, 1]); // 5 chars
  const original = a.slice();
  memo.json("a", a);
  memo.json("b", b);
  memo.json("c", c); // 25 chars > 20: "a" goes
  a.set(floatsToBytes([9, 9])); // mutating the caller's buffer must not change the memo
  assert.equal(text(memo.json("a", original)), "[0.5,0.5]");
  assert.equal(text(memo.json("c", c)), "[1,1]");
});

Deno.test("FloatJsonMemo.json() keeps its own copy of a store's Buffer (whose slice() shares memory)", () => {
  // A Node store may hand out Buffers over memory it reuses for the next read.
  const memo = new FloatJsonMemo(10_000);
  const memory = Buffer.from(floatsToBytes([1, 2]));
  memo.json("k", memory);
  memory.set(floatsToBytes([3, 4])); // the store reads the key's new vector into the same memory
  assert.equal(text(memo.json("k", memory)), "[3,4]");
});

Deno.test("FloatJsonMemo.json() compares a vector at an odd offset byte by byte (same or changed)", () => {
  // A store may hand out a view at any offset of its memory: the 4-byte compare needs alignment.
  const memo = new FloatJsonMemo(10_000);
  const at = (floats: number[]) => {
    const memory = new Uint8Array(1 + floats.length * 4);
    memory.set(floatsToBytes(floats), 1);
    return memory.subarray(1);
  };
  assert.equal(text(memo.json("k", at([1, 2]))), "[1,2]");
  assert.equal(text(memo.json("k", at([1, 2]))), "[1,2]");
  assert.equal(text(memo.json("k", at([1, 3]))), "[1,3]");
  // Aligned against unaligned, one bit apart in the last byte.
  const unaligned = at([1, 2]);
  unaligned[7] ^= 1;
  assert.equal(text(memo.json("k", floatsToBytes([1, 2]))), "[1,2]");
  assert.equal(text(memo.json("k", unaligned)), float32Json(unaligned.slice()));
});
