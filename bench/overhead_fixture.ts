/**
 * Fixture for the request-overhead benches: precomputed Azure embeddings responses (float JSON
 * and base64 of little-endian float32, the same values) and the request both sides send.
 *
 * @module
 */

/** The input text every benchmarked call embeds. */
export const INPUT = "The food was delicious and the waiter was very friendly.";
/** The api-key the bench server accepts. */
export const BENCH_KEY = "bench-key-0123456789";
/** The api-version every contender sends. */
export const BENCH_API_VERSION = "2024-10-21";

/** Deployment name for a dimension count, e.g. `emb-1536`. */
export function deploymentFor(dims: number): string {
  return `emb-${dims}`;
}

/** A deterministic unit vector of `dims` float32 values. */
export function unitVector(dims: number): Float32Array {
  const v = new Float32Array(dims);
  let seed = 0x9e3779b9 ^ dims;
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    const x = seed / 2 ** 32 - 0.5;
    v[i] = x;
    norm += x * x;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < dims; i++) v[i] *= scale;
  return v;
}

/** Base64 of the vector's bytes, little-endian float32, as the service sends it. */
export function float32ToBase64(v: Float32Array): string {
  const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/** The two response bodies for `dims`: `float` (JSON numbers) and `base64`. */
export function embeddingsBodies(dims: number): { float: string; base64: string } {
  const v = unitVector(dims);
  const envelope = (embedding: unknown): string =>
    JSON.stringify({
      object: "list",
      data: [{ object: "embedding", index: 0, embedding }],
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 11, total_tokens: 11 },
    });
  // The service prints float32 values with up to 9 significant digits.
  const floats = Array.from(v, (x) => Number(x.toPrecision(9)));
  return { float: envelope(floats), base64: envelope(float32ToBase64(v)) };
}
