/**
 * Speech answers every `response_format` of 2024-05-01-preview's `createSpeechRequest` enum (mp3,
 * opus, aac, flac, wav, pcm) with audio, as the service does; opus, aac and flac answered 400.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { post } from "../../src/emulator/_testing.ts";
import { loadSpec } from "../helpers/spec_schema.ts";

const PATH = "/openai/deployments/tts/audio/speech";
const V = { apiVersion: "2024-05-01-preview" };
// 150 characters: 10 s of speech.
const BODY = { input: "x".repeat(150), voice: "alloy" };

async function speech(format: string): Promise<[Response, Uint8Array]> {
  const res = await post(createEmulator(), PATH, { ...BODY, response_format: format }, V);
  return [res, new Uint8Array(await res.arrayBuffer())];
}

const ascii = (b: Uint8Array, at: number, n: number) =>
  String.fromCharCode(...b.subarray(at, at + n));

Deno.test("speech answers 200 audio for every response_format of the document's enum", async () => {
  const spec = loadSpec("2024-05-01-preview") as {
    components: { schemas: Record<string, { properties: Record<string, { enum: string[] }> }> };
  };
  const formats = spec.components.schemas.createSpeechRequest.properties.response_format.enum;
  assert.deepEqual(formats, ["mp3", "opus", "aac", "flac", "wav", "pcm"]);
  for (const format of formats) {
    const [res, bytes] = await speech(format);
    assert.equal(res.status, 200, format);
    assert.equal(res.headers.get("content-type"), `audio/${format === "mp3" ? "mpeg" : format}`);
    assert.equal(res.headers.get("content-length"), String(bytes.length), format);
  }
});

Deno.test("speech flac holds the wav samples losslessly (verbatim 16-bit frames, 24 kHz mono)", async () => {
  const [, flac] = await speech("flac");
  const [, wav] = await speech("wav");
  const pcm = new DataView(wav.buffer, 44);
  assert.equal(ascii(flac, 0, 4), "fLaC");
  const info = new DataView(flac.buffer, 8, 34);
  assert.equal(info.getUint32(10) >>> 12, 24_000); // sample rate
  assert.equal(info.getUint32(14), pcm.byteLength / 2); // total samples (low 32 bits)
  const samples: number[] = [];
  const view = new DataView(flac.buffer);
  for (let o = 42; o < flac.length;) {
    assert.deepEqual([...flac.subarray(o, o + 4)], [0xff, 0xf8, 0x77, 0x08], `frame at ${o}`);
    let n = 0; // bytes of the UTF-8 coded frame number
    while (flac[o + 4] & (0x80 >> n)) n++;
    const at = o + 4 + Math.max(1, n);
    const count = view.getUint16(at) + 1;
    assert.equal(flac[at + 3], 0x02, "verbatim subframe");
    for (let i = 0; i < count; i++) samples.push(view.getInt16(at + 4 + i * 2));
    o = at + 4 + count * 2 + 2;
  }
  assert.equal(samples.length, pcm.byteLength / 2);
  assert.ok(samples.every((s, i) => s === pcm.getInt16(i * 2, true)));
});

Deno.test("speech opus is an Ogg Opus stream and aac ADTS frames, both as long as the speech", async () => {
  const [, opus] = await speech("opus");
  assert.equal(ascii(opus, 0, 4), "OggS");
  assert.equal(ascii(opus, 28, 8), "OpusHead");
  let last = 0;
  for (let o = 0; o < opus.length;) {
    assert.equal(ascii(opus, o, 4), "OggS", `page at ${o}`);
    const segments = opus.subarray(o + 27, o + 27 + opus[o + 26]);
    last = o;
    o += 27 + segments.length + segments.reduce((a, b) => a + b, 0);
  }
  assert.equal(opus[last + 5], 0x04, "end of stream");
  const granule = new DataView(opus.buffer).getUint32(last + 6, true);
  assert.equal(granule - 312, 10 * 48_000); // pre-skip + 10 s at 48 kHz
  const [, aac] = await speech("aac");
  for (let o = 0; o < aac.length; o += 11) {
    assert.deepEqual([...aac.subarray(o, o + 2)], [0xff, 0xf1], `ADTS frame at ${o}`);
  }
  assert.equal(aac.length / 11, Math.ceil((10 * 24_000) / 1024));
});
