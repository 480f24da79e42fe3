import assert from "node:assert/strict";
import { sha256HexSync } from "./_sha256.ts";
import { sha256Hex } from "./_cache_key.ts";

const subtleHex = async (text: string) =>
  Array.from(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");

Deno.test("sha256HexSync() gives the published digests of the FIPS 180-2 examples", () => {
  assert.equal(
    sha256HexSync("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(
    sha256HexSync(""),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  assert.equal(
    sha256HexSync("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
});

Deno.test("sha256HexSync() equals Web Crypto's digest at every length around the block edges, and for non-ASCII text", async () => {
  // Lengths 0-300 cross the 55/56-byte padding edge and several 64-byte blocks; every third text
  // ends in 2-, 3- and 4-byte UTF-8 characters.
  for (let length = 0; length <= 300; length++) {
    const ascii = Array.from({ length }, (_, i) => String.fromCharCode(32 + (i * 7 + length) % 95));
    const text = ascii.join("") + (length % 3 ? "" : "é漢😀");
    assert.equal(sha256HexSync(text), await subtleHex(text), `length ${length}`);
  }
  const long = "cached input ".repeat(20_000); // 260,000 bytes
  assert.equal(sha256HexSync(long), await subtleHex(long));
});

Deno.test("sha256Hex() gives the same digest below and above the length where it hands over to Web Crypto", async () => {
  for (const length of [0, 1, 4095, 4096, 4097, 100_000]) {
    const text = "é".repeat(length >> 1) + "a".repeat(length - (length >> 1));
    assert.equal(await sha256Hex(text), await subtleHex(text), `length ${length}`);
  }
});
