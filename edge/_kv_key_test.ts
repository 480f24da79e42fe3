import assert from "node:assert/strict";
import { kvKeyBytes } from "./_kv_key.ts";
import { DenoKvTokenLimiter } from "./token_limit_deno_kv.ts";

Deno.test("kvKeyBytes() counts a key as Deno KV encodes it", () => {
  assert.equal(kvKeyBytes([]), 0);
  assert.equal(kvKeyBytes(["ab"]), 4);
  assert.equal(kvKeyBytes([7]), 9);
  assert.equal(kvKeyBytes(["é"]), 4);
  assert.equal(kvKeyBytes(["a\0b"]), 6, "a NUL byte is escaped to two");
});

Deno.test("DenoKvTokenLimiter refuses a prefix of numbers too long for Deno KV keys, takes one that fits", async () => {
  using kv = await Deno.openKv(":memory:");
  // 300 numbers: 601 bytes of JSON, but 2700 bytes in a key, which Deno KV refuses.
  assert.throws(
    () => new DenoKvTokenLimiter(kv, { tokensPerMinute: 100, prefix: Array(300).fill(0) }),
    /prefix must be an array of strings or numbers, ≤ 1024 bytes/,
  );
  const fits = new DenoKvTokenLimiter(kv, { tokensPerMinute: 100, prefix: Array(113).fill(0) });
  await fits.charge("0123456789abcdef0123456789abcdef", 10);
  assert.equal((await fits.check("0123456789abcdef0123456789abcdef")).ok, true);
});
