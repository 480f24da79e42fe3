import assert from "node:assert/strict";
import { TextBuffer } from "./_merge.ts";

Deno.test("TextBuffer.toString() returns the exact concatenation across block boundaries", () => {
  const buffer = new TextBuffer();
  assert.equal(buffer.toString(), "");
  const pieces: string[] = [];
  const total = TextBuffer.BLOCK * TextBuffer.BLOCK + 777; // forces block-of-blocks joins
  for (let i = 0; i < total; i++) {
    const piece = i % 5 === 0 ? "日" : String(i % 10);
    pieces.push(piece);
    buffer.push(piece);
    if (i === 1000) assert.equal(buffer.toString(), pieces.join(""));
  }
  assert.equal(buffer.toString(), pieces.join(""));
  buffer.push("!");
  assert.equal(buffer.toString(), pieces.join("") + "!");
});
