/**
 * The speech formats besides mp3, wav and pcm that the service answers (`response_format` opus,
 * aac and flac of 2024-05-01-preview's `createSpeechRequest`), encoded without a codec library:
 * `flac` holds the 16-bit samples as verbatim subframes (lossless, 24 kHz mono), `opus` is an Ogg
 * Opus stream of 20 ms silent CELT frames, `aac` ADTS frames of silent AAC-LC (24 kHz mono).
 *
 * @module
 */
import { concatBytes } from "./_bytes.ts";

/** The rate of the samples speech.ts makes (its SPEECH_SAMPLE_RATE; not imported: no cycle). */
const SPEECH_SAMPLE_RATE = 24_000;

function crcTable(poly: number, bits: 8 | 16 | 32): Uint32Array {
  const table = new Uint32Array(256);
  const top = 2 ** (bits - 1);
  const mask = 2 ** bits - 1;
  for (let i = 0; i < 256; i++) {
    let c = i * 2 ** (bits - 8);
    for (let k = 0; k < 8; k++) c = c >= top ? ((c - top) * 2 ^ poly) >>> 0 : c * 2;
    table[i] = c & mask;
  }
  return table;
}

function crc(table: Uint32Array, bits: 8 | 16 | 32, bytes: Uint8Array): number {
  let c = 0;
  const shift = bits - 8;
  const mask = bits === 32 ? 0xffffffff : 2 ** bits - 1;
  for (const b of bytes) c = ((c << 8) ^ table[((c >>> shift) ^ b) & 0xff]) & mask;
  return c >>> 0;
}

let crc8: Uint32Array | undefined;
let crc16: Uint32Array | undefined;
let crc32: Uint32Array | undefined;

/** FLAC frame number (or sample number): the UTF-8 style variable-length code. */
function flacNumber(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  let bytes = 2;
  while (n >= 2 ** (5 * bytes + 1)) bytes++;
  for (let i = bytes - 1; i > 0; i--) out.unshift(0x80 | ((n >>> (6 * (bytes - 1 - i))) & 0x3f));
  out.unshift(((0xff00 >> bytes) & 0xff) | (n >>> (6 * (bytes - 1))));
  return out;
}

/** A FLAC stream of little-endian 16-bit mono `pcm` at 24 kHz (verbatim subframes). */
export function flacFile(pcm: Uint8Array): Uint8Array<ArrayBuffer> {
  crc8 ??= crcTable(0x07, 8);
  crc16 ??= crcTable(0x8005, 16);
  const samples = pcm.length / 2;
  const input = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const block = 4096;
  const parts: Uint8Array[] = [];
  const head = new Uint8Array(42);
  const view = new DataView(head.buffer);
  head.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34]); // "fLaC", last block: STREAMINFO of 34
  view.setUint16(8, block);
  view.setUint16(10, block);
  // sample rate (20 bits), channels - 1 (3), bits per sample - 1 (5), total samples (36); no MD5.
  view.setUint32(
    18,
    (SPEECH_SAMPLE_RATE << 12) | (0 << 9) | (15 << 4) | Math.floor(samples / 2 ** 32),
  );
  view.setUint32(22, samples >>> 0);
  parts.push(head);
  for (let frame = 0, at = 0; at < samples; frame++, at += block) {
    const count = Math.min(block, samples - at);
    // sync + fixed blocking, block size from the header's 16 bits, 24 kHz, mono, 16 bits.
    const header = [
      0xff,
      0xf8,
      0x77,
      0x08,
      ...flacNumber(frame),
      (count - 1) >> 8,
      (count - 1) & 0xff,
    ];
    header.push(crc(crc8, 8, new Uint8Array(header)));
    const out = new Uint8Array(header.length + 1 + count * 2 + 2);
    out.set(header);
    out[header.length] = 0x02; // verbatim subframe, no wasted bits
    const body = new DataView(out.buffer);
    for (let i = 0; i < count; i++) {
      body.setInt16(header.length + 1 + i * 2, input.getInt16((at + i) * 2, true));
    }
    body.setUint16(out.length - 2, crc(crc16, 16, out.subarray(0, out.length - 2)));
    parts.push(out);
  }
  return concatBytes(parts);
}

/** One Ogg page holding `packets` whole (each under 255 bytes). */
function oggPage(
  packets: Uint8Array[],
  granule: number,
  sequence: number,
  flags: number,
): Uint8Array {
  crc32 ??= crcTable(0x04c11db7, 32);
  const data = concatBytes(packets);
  const page = new Uint8Array(27 + packets.length + data.length);
  const view = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53, 0, flags]); // "OggS", version 0
  view.setUint32(6, granule >>> 0, true);
  view.setUint32(10, Math.floor(granule / 2 ** 32), true);
  view.setUint32(14, 0x656d75, true); // stream serial number
  view.setUint32(18, sequence, true);
  page[26] = packets.length;
  packets.forEach((p, i) => page[27 + i] = p.length);
  page.set(data, 27 + packets.length);
  view.setUint32(22, crc(crc32, 32, page), true);
  return page;
}

/** An Ogg Opus stream of about `seconds` of silence (20 ms mono CELT frames). */
export function silentOpus(seconds: number): Uint8Array<ArrayBuffer> {
  const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
  const preSkip = 312;
  const opusHead = new Uint8Array([...ascii("OpusHead"), 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const headView = new DataView(opusHead.buffer);
  headView.setUint16(10, preSkip, true);
  headView.setUint32(12, SPEECH_SAMPLE_RATE, true);
  const vendor = ascii("aoai-edge emulator");
  const tags = new Uint8Array([
    ...ascii("OpusTags"),
    vendor.length,
    0,
    0,
    0,
    ...vendor,
    0,
    0,
    0,
    0,
  ]);
  const pages = [oggPage([opusHead], 0, 0, 0x02), oggPage([tags], 0, 1, 0)];
  const frames = Math.max(1, Math.ceil(seconds * 50));
  const silence = new Uint8Array([0xf8, 0xff, 0xfe]); // CELT fullband 20 ms, mono, silent
  for (let done = 0; done < frames;) {
    const count = Math.min(50, frames - done);
    done += count;
    pages.push(
      oggPage(
        new Array(count).fill(silence),
        preSkip + done * 960,
        pages.length,
        done === frames ? 0x04 : 0,
      ),
    );
  }
  return concatBytes(pages);
}

/** ADTS frames of silent AAC-LC (24 kHz mono, 1024 samples each) lasting about `seconds`. */
export function silentAac(seconds: number): Uint8Array<ArrayBuffer> {
  const frames = Math.max(1, Math.ceil((seconds * SPEECH_SAMPLE_RATE) / 1024));
  // MPEG-4, no CRC, AAC LC, 24 kHz (index 6), one channel, frame length 11, VBR fullness.
  // Raw block: a single channel element with max_sfb 0 (all spectra zero), then END.
  const frame = [0xff, 0xf1, 0x58, 0x40, 0x01, 0x7f, 0xfc, 0x00, 0x00, 0x00, 0x07];
  const out = new Uint8Array(frames * frame.length);
  for (let f = 0; f < frames; f++) out.set(frame, f * frame.length);
  return out;
}
