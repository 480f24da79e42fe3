import assert from "node:assert/strict";
import { adler32, crc32, encodePng, seededPng } from "./png.ts";

async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("crc32() and adler32() match known check values", () => {
  const check = new TextEncoder().encode("123456789");
  assert.equal(crc32(check), 0xcbf43926);
  assert.equal(adler32(new TextEncoder().encode("Wikipedia")), 0x11e60398);
});

Deno.test("encodePng() writes a signature, valid chunk CRCs and a zlib IDAT holding the pixels", async () => {
  const rgb = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
  const png = encodePng(2, 2, rgb);
  assert.deepEqual(Array.from(png.subarray(0, 8)), [137, 80, 78, 71, 13, 10, 26, 10]);
  const view = new DataView(png.buffer);
  const types: string[] = [];
  let idat: Uint8Array | undefined;
  for (let o = 8; o < png.length;) {
    const len = view.getUint32(o);
    const type = new TextDecoder().decode(png.subarray(o + 4, o + 8));
    types.push(type);
    assert.equal(view.getUint32(o + 8 + len), crc32(png, o + 4, o + 8 + len), type);
    if (type === "IHDR") {
      assert.equal(view.getUint32(o + 8), 2);
      assert.equal(view.getUint32(o + 12), 2);
    }
    if (type === "IDAT") idat = png.subarray(o + 8, o + 8 + len);
    o += 12 + len;
  }
  assert.deepEqual(types, ["IHDR", "IDAT", "IEND"]);
  const raw = await inflate(idat!);
  assert.deepEqual(Array.from(raw), [0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 10, 20, 30]);
});

Deno.test("seededPng() is deterministic per seed and inflates to 32 rows", async () => {
  assert.deepEqual(seededPng(7), seededPng(7));
  assert.notDeepEqual(seededPng(7), seededPng(8));
  const png = seededPng(7);
  const len = new DataView(png.buffer).getUint32(33);
  const raw = await inflate(png.subarray(41, 41 + len));
  assert.equal(raw.length, 32 * (32 * 3 + 1));
});
