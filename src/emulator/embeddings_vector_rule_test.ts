import assert from "node:assert/strict";
import { embeddingVector } from "./embeddings.ts";
import { fnv1a, mulberry32 } from "./_hash.ts";

Deno.test("embeddingVector() follows the documented rule: mulberry32(FNV-1a(deployment, \\0 or \\1, input)) in [-1, 1), normalised", () => {
  for (const [input, kind] of [["hello", "\u0000"], [[1, 2, 3], "\u0001"]] as const) {
    const text = typeof input === "string" ? input : input.join(",");
    const next = mulberry32(fnv1a(text, fnv1a(kind, fnv1a("dep"))));
    const raw = [next() * 2 - 1, next() * 2 - 1, next() * 2 - 1];
    // Stored as float32, scaled by 1 / the float64 length.
    const inv = 1 / Math.sqrt(raw.reduce((s, x) => s + x * x, 0));
    const stored = new Float32Array(raw);
    assert.deepEqual(
      Array.from(embeddingVector("dep", input, 3)),
      Array.from(new Float32Array(stored.map((x) => x * inv))),
      JSON.stringify(input),
    );
  }
});

Deno.test("embeddingVector(): one dimension is ±1, and two texts' vectors are near orthogonal", () => {
  for (const text of ["a", "b", "c"]) {
    assert.equal(Math.abs(embeddingVector("dep", text, 1)[0]), 1, text);
  }
  const a = embeddingVector("dep", "the cat", 1536);
  const b = embeddingVector("dep", "a dog", 1536);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  // Components centred on 0: independent unit vectors have a cosine of about ±1/√1536 ≈ 0.026.
  assert.ok(Math.abs(dot) < 0.1, `cosine ${dot}`);
  assert.ok(a.every((x) => x !== 0), "every component drawn");
});
