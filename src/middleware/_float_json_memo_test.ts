import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { FloatJsonMemo } from "./_float_json_memo.ts";
import { float32Json, floatsToBytes } from "./_float32.ts";

Deno.test("FloatJsonMemo.json() returns the same text as float32Json for new and remembered vectors", () => {
  const memo = new FloatJsonMemo(10_000);
  const bytes = floatsToBytes([0.25, -1.5, 3.141592653589793]);
  const first = memo.json("k", bytes);
  assert.equal(first, float32Json(bytes));
  assert.equal(memo.json("k", bytes.slice()), first);
});

Deno.test("FloatJsonMemo.json() never serves an older vector's text for changed bytes", () => {
  const memo = new FloatJsonMemo(10_000);
  const a = floatsToBytes([1, 2, 3]);
  const b = floatsToBytes([1, 2, 4]);
  memo.json("k", a);
  assert.equal(memo.json("k", b), float32Json(b));
  assert.equal(memo.json("k", b), "[1,2,4]");
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
  assert.equal(memo.json("a", original), "[0.5,0.5]");
  assert.equal(memo.json("c", c), "[1,1]");
});

Deno.test("FloatJsonMemo.json() keeps its own copy of a store's Buffer (whose slice() shares memory)", () => {
  // A Node store may hand out Buffers over memory it reuses for the next read.
  const memo = new FloatJsonMemo(10_000);
  const memory = Buffer.from(floatsToBytes([1, 2]));
  memo.json("k", memory);
  memory.set(floatsToBytes([3, 4])); // the store reads the key's new vector into the same memory
  assert.equal(memo.json("k", memory), "[3,4]");
});
