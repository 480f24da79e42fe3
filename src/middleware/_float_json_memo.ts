import { float32Json } from "./_float32.ts";

interface Entry {
  bytes: Uint8Array;
  /** The UTF-8 (ASCII) bytes of the vector's JSON text. */
  text: Uint8Array;
}

const ENCODER = new TextEncoder();

/**
 * True when `a` and `b` hold the same bytes: compared 4 at a time when both are aligned (a
 * vector's Float32 bytes always are a multiple of 4), which made the check of a hot 100-vector hit
 * about a quarter of its time byte by byte.
 */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.byteLength;
  if (n !== b.byteLength) return false;
  if (n % 4 === 0 && a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const x = new Int32Array(a.buffer, a.byteOffset, n >> 2);
    const y = new Int32Array(b.buffer, b.byteOffset, n >> 2);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Remembers the JSON text of recently served Float32 vectors, by cache key, as UTF-8 bytes, so a
 * hot embeddings hit in float format skips the number-to-text conversion (~0.1 µs a number: ~15 ms
 * for 100 vectors of 1536 dims) and the encoding of that text into the response. An entry is used
 * only when its bytes equal the vector being served, so a re-fetched vector never gets an older
 * vector's text. Bounded by characters (bytes: the text is ASCII), least recently used out first.
 */
export class FloatJsonMemo {
  #entries = new Map<string, Entry>();
  #chars = 0;
  #maxChars: number;

  constructor(maxChars: number) {
    this.#maxChars = maxChars;
  }

  /**
   * The JSON text of `bytes` (Float32, little-endian) as UTF-8, from memory when it was seen under
   * `key`.
   */
  json(key: string, bytes: Uint8Array): Uint8Array {
    const hit = this.#entries.get(key);
    if (hit && sameBytes(hit.bytes, bytes)) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.text;
    }
    const text = ENCODER.encode(float32Json(bytes));
    if (hit) this.#remove(key, hit);
    if (text.length <= this.#maxChars) {
      // A copy (a Node Buffer's slice() is a view on memory its store may reuse).
      this.#entries.set(key, { bytes: new Uint8Array(bytes), text });
      this.#chars += text.length;
      for (const [oldest, entry] of this.#entries) {
        if (this.#chars <= this.#maxChars) break;
        this.#remove(oldest, entry);
      }
    }
    return text;
  }

  #remove(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#chars -= entry.text.length;
  }
}
