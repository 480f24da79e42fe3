// Audio in containers (MP4 / M4A / MOV, Ogg Opus and Vorbis, WebM / Matroska) is counted by the
// length its headers give, not at the 8 kbit/s fallback (which counted a 64 kbit/s file 8 times
// over); a header that cannot be read, or an implausible length, counts as that fallback.
import assert from "node:assert/strict";
import { blobAudioTokens, estimateRequestTokens } from "./_token_estimate.ts";

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const concat = (...parts: (Uint8Array | number[])[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};
const be = (value: number, n: number) =>
  Array.from({ length: n }, (_, i) => Math.floor(value / 256 ** (n - 1 - i)) % 256);
const le = (value: number, n: number) => be(value, n).reverse();
const b64 = (bytes: Uint8Array) => {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
};

/** Tokens of `bytes` as an `input_audio` part and as an upload, which must agree. */
async function tokens(bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  const part = { type: "input_audio", input_audio: { data: b64(bytes), format: "wav" } };
  const chat = estimateRequestTokens({ messages: [{ role: "user", content: [part] }] });
  const upload = await blobAudioTokens(new Blob([bytes]));
  assert.equal(chat, upload, "input_audio and upload");
  return upload;
}

// --- MP4 ---

/** An MP4 box: 32-bit size, or `large` (size 1 and a 64-bit size), or `toEnd` (size 0). */
function box(type: string, body: Uint8Array | number[], size?: "large" | "toEnd"): Uint8Array {
  if (size === "large") return concat(be(1, 4), ascii(type), be(16 + body.length, 8), body);
  return concat(be(size === "toEnd" ? 0 : 8 + body.length, 4), ascii(type), body);
}
const ftyp = () => box("ftyp", concat(ascii("M4A "), be(0, 4), ascii("M4A isom")));
/** An `mvhd` of `version` 0 or 1 giving `duration` at `timescale`. */
function mvhd(timescale: number, duration: number, version = 0): Uint8Array {
  const times = version ? [...be(0, 8), ...be(0, 8)] : [...be(0, 4), ...be(0, 4)];
  const rest = new Uint8Array(80); // rate, volume, matrix, next track id
  return box(
    "mvhd",
    concat([version, 0, 0, 0], times, be(timescale, 4), be(duration, version ? 8 : 4), rest),
  );
}
const moov = (header = mvhd(44_100, 441_000)) =>
  box("moov", concat(header, box("trak", new Uint8Array(40))));
/** 80,000 bytes of `mdat`: 10 s at 64 kbit/s (800 tokens at the 8 kbit/s fallback). */
const mdat = (size?: "large" | "toEnd") => box("mdat", new Uint8Array(80_000 - 16), size);

Deno.test("audio tokens: an M4A is counted by its mvhd duration, not at 8 kbit/s", async () => {
  // moov before mdat (a "fast start" file): 10 s, 100 tokens (800 at the fallback).
  assert.equal(await tokens(concat(ftyp(), moov(), mdat())), 100);
  // moov after mdat (as recorders write it), mvhd version 1 (64-bit duration), at 600 a second.
  assert.equal(await tokens(concat(ftyp(), mdat(), moov(mvhd(600, 6_000, 1)))), 100);
  // A 64-bit largesize mdat and a free box before moov; a moov of size 0 (to the end).
  const large = concat(
    ftyp(),
    box("free", [0, 0]),
    mdat("large"),
    box("moov", mvhd(1000, 10_000), "toEnd"),
  );
  assert.equal(await tokens(large), 100);
  // A QuickTime movie starting with a wide box, mvhd not moov's first child.
  const mov = concat(
    box("wide", []),
    mdat(),
    box("moov", concat(box("udta", [1, 2]), mvhd(600, 6_000))),
  );
  assert.equal(await tokens(mov), 100);
});

Deno.test("audio tokens: an MP4 that cannot be read counts at 8 kbit/s, never throws", async () => {
  const cases: [string, Uint8Array<ArrayBuffer>][] = [
    // moov after an mdat that runs past the bytes there are (a cut upload).
    [
      "moov after a cut mdat",
      concat(ftyp(), box("mdat", new Uint8Array(80_000 - 16)).slice(0, 79_000), moov()),
    ],
    [
      "mdat past the end",
      concat(ftyp(), be(90_000, 4), ascii("mdat"), new Uint8Array(80_000 - 28)),
    ],
    ["mdat to the end, no moov", concat(ftyp(), mdat("toEnd"))],
    ["no moov", concat(ftyp(), mdat())],
    ["a box size under its header", concat(ftyp(), be(3, 4), ascii("free"), mdat())],
    ["a largesize under its header", concat(ftyp(), be(1, 4), ascii("free"), be(8, 8), mdat())],
    ["moov without mvhd", concat(ftyp(), box("moov", box("trak", [])), mdat())],
    ["timescale 0", concat(ftyp(), moov(mvhd(0, 441_000)), mdat())],
    ["duration 0 (fragmented)", concat(ftyp(), moov(mvhd(44_100, 0)), mdat())],
    ["unknown duration", concat(ftyp(), moov(mvhd(1, 0xffffffff)), mdat())],
    ["over 24 hours", concat(ftyp(), moov(mvhd(1, 86_401)), mdat())],
    ["version 1 over 24 hours", concat(ftyp(), moov(mvhd(1000, 2 ** 40, 1)), mdat())],
    ["moov cut", concat(ftyp(), be(200, 4), ascii("moov"), mvhd(44_100, 441_000).slice(0, 28))],
    ["mvhd cut", concat(ftyp(), mdat(), box("moov", mvhd(44_100, 441_000).slice(0, 28)))],
    ["cut in a box header", concat(ftyp(), [0, 0])],
  ];
  for (const [name, bytes] of cases) {
    assert.equal(await tokens(bytes), Math.ceil(bytes.length / 100), name);
  }
});

Deno.test("audio tokens: an MP4 claiming less than 384,000 bytes a second is counted at that rate", async () => {
  // 1 s claimed for 1,000,000 bytes: 2.6 s (as a wav header's byte rate is capped).
  const bytes = concat(ftyp(), moov(mvhd(1, 1)), box("mdat", new Uint8Array(1_000_000 - 200)));
  assert.equal(await tokens(bytes), Math.ceil(bytes.length / 384_000 * 10));
});

Deno.test("audio tokens: an MP4's boxes are walked a bounded number, a few bytes each", async () => {
  // 10,000 empty free boxes before moov: given up on (the fallback) after a few reads.
  const bytes = concat(
    ftyp(),
    ...Array.from({ length: 10_000 }, () => box("free", [])),
    moov(),
    mdat(),
  );
  const blob = new Blob([bytes]);
  const reads: number[] = [];
  const slice = blob.slice.bind(blob);
  blob.slice = (start?: number, end?: number) => {
    reads.push((end ?? 0) - (start ?? 0));
    return slice(start, end);
  };
  assert.equal(await blobAudioTokens(blob), Math.ceil(bytes.length / 100));
  assert.equal(reads.length <= 100, true, `${reads.length} reads`);
  assert.equal(reads.every((n) => n <= 256), true, `reads of ${reads.join(", ")} bytes`);
});

// --- Ogg ---

/** An Ogg page of `serial` whose packet data is `data` (one segment per 255 bytes). */
function page(
  serial: number,
  granule: number[],
  data: Uint8Array | number[],
  type = 0,
  version = 0,
) {
  const lacing = [...Array(Math.floor(data.length / 255)).fill(255), data.length % 255];
  return concat(
    ascii("OggS"),
    [version, type],
    granule,
    le(serial, 4),
    le(0, 4),
    le(0, 4),
    [lacing.length],
    lacing,
    data,
  );
}
const granule = (value: number) => le(value, 8);
const opusHead = (preSkip = 312) =>
  concat(ascii("OpusHead"), [1, 1], le(preSkip, 2), le(16_000, 4), [0, 0, 0]);
const vorbisId = (rate: number) =>
  concat([1], ascii("vorbis"), le(0, 4), [2], le(rate, 4), le(0, 12), [0xb8, 1]);
/** An Ogg stream: id page, audio filling `size` bytes, last page at `last` granule. */
function oggFile(
  id: Uint8Array,
  last: number[],
  size = 80_000,
  serial = 7,
  tail: Uint8Array[] = [],
) {
  const first = page(serial, granule(0), id, 2);
  const end = concat(page(serial, last, new Uint8Array(100), 4), ...tail);
  return concat(first, new Uint8Array(size - first.length - end.length), end);
}

Deno.test("audio tokens: an Ogg Opus or Vorbis file is counted by its last granule position", async () => {
  // Opus: 48 kHz granules less the pre-skip: 10 s in 80,000 bytes, 100 tokens (800 at 8 kbit/s).
  assert.equal(await tokens(oggFile(opusHead(312), granule(480_000 + 312))), 100);
  // Vorbis: the id header's sample rate.
  assert.equal(await tokens(oggFile(vorbisId(44_100), granule(441_000))), 100);
  // A last page where no packet ends (granule -1), then another stream's page: both passed over.
  const other = page(8, granule(10), new Uint8Array(10));
  const minus = page(7, new Array(8).fill(0xff), new Uint8Array(10));
  assert.equal(
    await tokens(oggFile(opusHead(0), granule(480_000), 80_000, 7, [minus, other])),
    100,
  );
  // A last page of 60,000 bytes (an Ogg page is at most 65,307): its header is found.
  const first = page(7, granule(0), vorbisId(48_000), 2);
  const last = page(7, granule(48_000 * 20), new Uint8Array(60_000 - 27 - 235), 4);
  assert.equal(last.length, 60_000);
  const big = concat(first, new Uint8Array(200_000 - first.length - last.length), last);
  assert.equal(big.length, 200_000);
  assert.equal(await tokens(big), 200);
  // A file longer than the bounded tail: its last page is within it.
  assert.equal(await tokens(oggFile(vorbisId(48_000), granule(48_000 * 60), 480_000)), 600);
});

Deno.test("audio tokens: an Ogg file that cannot be read counts at 8 kbit/s, never throws", async () => {
  const speex = concat(ascii("Speex   "), new Uint8Array(72));
  const cases: [string, Uint8Array<ArrayBuffer>][] = [
    ["another codec", oggFile(speex, granule(160_000))],
    ["Vorbis at rate 0", oggFile(vorbisId(0), granule(441_000))],
    ["granule under the pre-skip", oggFile(opusHead(312), granule(100))],
    ["granule over 24 hours", oggFile(opusHead(0), granule(48_000 * 86_401))],
    [
      "granule -1 only",
      concat(page(7, new Array(8).fill(0xff), opusHead()), new Uint8Array(80_000)),
    ],
    // Files under 65,307 bytes: the backwards search reaches the first page.
    ["only its id page", concat(page(7, granule(0), opusHead()), new Uint8Array(30_000))],
    ["cut id page", concat(ascii("OggS"), [0, 2], granule(0), le(7, 4))],
    ["cut id header", page(7, granule(0), opusHead().slice(0, 9), 2)],
    // A first page of version 1, the only page the backwards search meets: passed over, once.
    ["version 1", concat(page(7, granule(480_000), opusHead(0), 2, 1), new Uint8Array(30_000))],
  ];
  for (const [name, bytes] of cases) {
    assert.equal(await tokens(bytes), Math.ceil(bytes.length / 100), name);
  }
});

// --- WebM / Matroska ---

/** An EBML element: its ID bytes, a size in `sizeBytes` bytes (or unknown), its body. */
function el(id: number[], body: Uint8Array | number[], sizeBytes = 1, unknown = false) {
  const size = unknown ? new Array(sizeBytes).fill(0xff) : be(body.length, sizeBytes);
  size[0] = size[0] & 0xff >> sizeBytes | 0x80 >> (sizeBytes - 1);
  return concat(id, size, body);
}
const EBML = [0x1a, 0x45, 0xdf, 0xa3];
const SEGMENT = [0x18, 0x53, 0x80, 0x67];
const INFO = [0x15, 0x49, 0xa9, 0x66];
const CLUSTER = [0x1f, 0x43, 0xb6, 0x75];
const ebmlHeader = (sizeBytes = 1) => el(EBML, el([0x42, 0x82], ascii("webm")), sizeBytes);
const scale = (ns: number) => el([0x2a, 0xd7, 0xb1], be(ns, 3));
const duration = (value: number, bytes = 8) => {
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  if (bytes === 4) view.setFloat32(0, value);
  else view.setFloat64(0, value);
  return el([0x44, 0x89], out);
};
const app = el([0x4d, 0x80], ascii("a muxer"));
/** A WebM of `size` bytes: header, Segment (unknown size unless `known`), `children`, a Cluster. */
function webm(children: Uint8Array[], size = 80_000, known = false, header = ebmlHeader()) {
  const head = concat(...children);
  const rest = size - header.length - 12 - head.length;
  const cluster = el(CLUSTER, new Uint8Array(rest - 12), 8, true);
  const body = concat(head, cluster);
  return concat(header, el(SEGMENT, body, 8, !known));
}

Deno.test("audio tokens: a WebM is counted by its Info Duration times its TimecodeScale", async () => {
  // Default scale (1 ms), a 64-bit Duration of 10,000: 10 s, 100 tokens (800 at 8 kbit/s).
  assert.equal(await tokens(webm([el(INFO, concat(app, duration(10_000)))])), 100);
  // A 32-bit Duration at a 1 µs scale after a SeekHead and a Void; a known-size Segment, an
  // 8-byte EBML header size (as Chrome writes it).
  const seekHead = el([0x11, 0x4d, 0x9b, 0x74], new Uint8Array(30));
  const voidEl = el([0xec], new Uint8Array(5));
  const info = el(INFO, concat(scale(1000), duration(10_000_000, 4), app));
  assert.equal(await tokens(webm([seekHead, voidEl, info], 80_000, true, ebmlHeader(8))), 100);
});

Deno.test("audio tokens: a WebM that cannot be read counts at 8 kbit/s, never throws", async () => {
  const info = (...children: Uint8Array[]) => el(INFO, concat(...children));
  const cases: [string, Uint8Array<ArrayBuffer>][] = [
    // A live recording (MediaRecorder) has no Duration.
    ["no Duration", webm([info(scale(1_000_000), app)])],
    ["no Info", webm([el([0xec], new Uint8Array(5))])],
    [
      "a Cluster of unknown size before Info",
      webm([el(CLUSTER, new Uint8Array(10), 8, true), info(duration(10_000))]),
    ],
    // Its end unknown, a Cluster is not skipped: an Info-like element in it is not read.
    [
      "an Info in a Cluster of unknown size",
      webm([el(CLUSTER, concat([0x80], info(duration(10_000))), 1, true)]),
    ],
    ["negative Duration", webm([info(duration(-10_000))])],
    ["NaN Duration", webm([info(duration(NaN))])],
    ["Duration over 24 hours", webm([info(duration(86_401_000))])],
    // Read as a 64-bit float, 9,728 (9.7 s).
    ["a 2-byte Duration", webm([info(el([0x44, 0x89], [0x40, 0xc3]))])],
    ["scale 0", webm([info(scale(0), duration(10_000))])],
    ["Duration past Info's end", webm([el(INFO, duration(10_000).slice(0, 6))])],
    ["an invalid ID", concat(ebmlHeader(), [0x00, 0x81, 0], new Uint8Array(80_000))],
    ["an invalid size", concat(ebmlHeader(), SEGMENT, [0x00], new Uint8Array(80_000))],
    ["unknown-size EBML header", concat(el(EBML, [], 1, true), new Uint8Array(80_000))],
    ["cut in the header", concat(EBML, [0x88])],
  ];
  for (const [name, bytes] of cases) {
    assert.equal(await tokens(bytes), Math.ceil(bytes.length / 100), name);
  }
});

Deno.test("estimateRequestTokens() decodes a container's headers only, never its whole base64", () => {
  const decoded: number[] = [];
  const original = globalThis.atob;
  globalThis.atob = (data: string) => {
    decoded.push(data.length);
    return original(data);
  };
  let count: number;
  try {
    const mp4 = concat(ftyp(), box("mdat", new Uint8Array(1_000_000)), moov());
    const ogg = oggFile(opusHead(0), granule(48_000 * 100), 1_000_000);
    count = estimateRequestTokens({
      messages: [{
        role: "user",
        content: [mp4, ogg].map((bytes) => ({
          type: "input_audio",
          input_audio: { data: b64(bytes), format: "mp3" },
        })),
      }],
    });
  } finally {
    globalThis.atob = original;
  }
  // 10 s and 100 s, each at least 1,000,000 / 384,000 s.
  assert.equal(count, 100 + 1000);
  // Box headers of 16 bytes; an Ogg file's last page, at most 65,307 bytes (87,080 characters).
  assert.equal(decoded.every((n) => n <= 87_080), true, `atob() of ${decoded.join(", ")}`);
});
