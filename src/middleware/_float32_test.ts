import assert from "node:assert/strict";
import {
  base64ToBytes,
  bytesToBase64,
  bytesToFloats,
  float32Json,
  floatsToBytes,
} from "./_float32.ts";

Deno.test("bytesToBase64() matches btoa for every length and byte value", () => {
  for (let length = 0; length < 70; length++) {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length * 11) & 255);
    const expected = btoa(String.fromCharCode(...bytes));
    assert.equal(bytesToBase64(bytes), expected, `length ${length}`);
    assert.deepEqual(base64ToBytes(expected), bytes, `round trip ${length}`);
  }
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.equal(bytesToBase64(all), btoa(String.fromCharCode(...all)));
});

Deno.test("base64ToBytes() accepts base64url and rejects other characters", () => {
  assert.deepEqual(base64ToBytes("-_8"), new Uint8Array([251, 255]));
  assert.throws(() => base64ToBytes("ab$d"), /invalid base64 character at 2/);
});

Deno.test("floatsToBytes() rounds to Float32 and bytesToFloats() reads the same values", () => {
  const values = [0.1, -1.5, 3.4e38, 1e-45, 0];
  const back = bytesToFloats(floatsToBytes(values));
  assert.deepEqual(back, Array.from(new Float32Array(values)));
});

Deno.test("bytesToFloats() reads unaligned bytes", () => {
  const bytes = floatsToBytes([1.25, -2]);
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  assert.deepEqual(bytesToFloats(shifted.subarray(1)), [1.25, -2]);
});

Deno.test("float32Json() writes what JSON.stringify writes", () => {
  const values = [0.1, -0.123456789, 1e-7, 123456.789, 0, -0];
  const bytes = floatsToBytes(values);
  assert.equal(float32Json(bytes), JSON.stringify(bytesToFloats(bytes)));
  assert.equal(float32Json(floatsToBytes([Number.NaN, 1])), "[null,1]");
});

Deno.test("base64ToBytes() rejects lengths no base64 string has (a cut one)", () => {
  for (const text of ["AAAAA", "AAAAAAAAA", "AAAAA===", "AAA=A", "AAAAAA=", "AA===", "A==="]) {
    assert.throws(() => base64ToBytes(text), TypeError, text);
  }
  for (const text of ["AAAAAA", "AAAAAAA", "AAAAAA==", "AAAAAAA="]) {
    assert.equal(base64ToBytes(text).length, text.replace(/=+$/, "").length * 3 >> 2, text);
  }
});
