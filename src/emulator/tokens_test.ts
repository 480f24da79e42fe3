import assert from "node:assert/strict";
import { countTokens, tokenize } from "./tokens.ts";

Deno.test("tokenize() splits into whitespace-led pieces of at most 4 characters", () => {
  assert.deepEqual(tokenize("You said: hello"), ["You", " said", ":", " hell", "o"]);
  assert.deepEqual(tokenize("  a\n\nbb  "), ["  a", "\n\nbb", "  "]);
  assert.deepEqual(tokenize(""), []);
});

Deno.test("tokenize() joins back to the input and keeps surrogate pairs whole", () => {
  for (const text of ["🦊🦊🦊 ok", "abc😀d", "한국어 텍스트입니다", " x ", "\t\r\n"]) {
    const tokens = tokenize(text);
    assert.equal(tokens.join(""), text);
    for (const t of tokens) assert.doesNotMatch(t, /^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  }
});

Deno.test("countTokens() equals tokenize().length", () => {
  for (const text of ["", "a", "You said: hello", "🦊🦊🦊 ok", "  trailing  ", "x".repeat(1001)]) {
    assert.equal(countTokens(text), tokenize(text).length, JSON.stringify(text));
  }
  assert.equal(countTokens("x".repeat(1001)), 251);
});
