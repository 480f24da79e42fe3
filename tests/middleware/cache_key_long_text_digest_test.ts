import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cacheKey, canonicalJson, sha256Hex } from "../../src/middleware/_cache_key.ts";

// Texts of 4,096 characters or more hash through Web Crypto, shorter ones in JavaScript: both
// give the standard digest (a chat body with an image in it is long; an embeddings input short).
const expected = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

Deno.test("sha256Hex() gives the standard hex SHA-256 of a long text (Web Crypto path)", async () => {
  for (const text of ["a".repeat(4096), "é€😀".repeat(3000), "x".repeat(70_000)]) {
    const hex = await sha256Hex(text);
    assert.equal(hex, expected(text));
    assert.match(hex, /^[0-9a-f]{64}$/);
  }
});

Deno.test("sha256Hex() gives the same digest either side of the sync/async boundary", async () => {
  for (const n of [4095, 4096, 4097]) {
    const text = "k".repeat(n);
    assert.equal(await sha256Hex(text), expected(text), `${n} characters`);
  }
});

Deno.test("cacheKey() of long parts is the digest of their canonical JSON", async () => {
  const parts = ["ns", "chat", { messages: [{ role: "user", content: "q".repeat(5000) }] }];
  assert.equal(await cacheKey(parts), expected(canonicalJson(parts)));
});

Deno.test("canonicalJson() writes NaN and ±Infinity as null, like JSON.stringify", () => {
  const value = { a: Number.NaN, b: Infinity, c: [-Infinity, 1.5, -0] };
  assert.equal(canonicalJson(value), JSON.stringify(value));
  assert.equal(canonicalJson(value), '{"a":null,"b":null,"c":[null,1.5,0]}');
});
