import assert from "node:assert/strict";
import { estimateRequestTokens } from "./mod.ts";
import { audioBytesTokens, blobAudioTokens } from "./_token_estimate.ts";

const b64 = (bytes: Uint8Array) => {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
};
const chat = (...parts: unknown[]) => ({
  messages: [{ role: "user", content: [{ type: "text", text: "x".repeat(40) }, ...parts] }],
});
const audio = (data: string, format: string) => ({
  type: "input_audio",
  input_audio: { data, format },
});

/** A PCM wav of `seconds` at `byteRate` bytes a second (44-byte header, fmt chunk first). */
function wav(byteRate: number, seconds: number): Uint8Array {
  const size = byteRate * seconds;
  const bytes = new Uint8Array(44 + size);
  const view = new DataView(bytes.buffer);
  bytes.set([..."RIFF"].map((c) => c.charCodeAt(0)), 0);
  view.setUint32(4, 36 + size, true);
  bytes.set([..."WAVEfmt "].map((c) => c.charCodeAt(0)), 8);
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, byteRate / 2, true);
  view.setUint32(28, byteRate, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  bytes.set([..."data"].map((c) => c.charCodeAt(0)), 36);
  view.setUint32(40, size, true);
  return bytes;
}

Deno.test("estimateRequestTokens() counts input_audio at 10 tokens a second, never 0", () => {
  // 10 s of 16 kHz 16-bit mono wav: its header's byte rate gives the length.
  assert.equal(estimateRequestTokens(chat(audio(b64(wav(32_000, 10)), "wav"))), 10 + 101);
  // 10 s of 8 kHz 8-bit mono: the lower byte rate counts more tokens for the same size.
  assert.equal(estimateRequestTokens(chat(audio(b64(wav(8_000, 40)), "wav"))), 10 + 401);
  // No header it can read (zeros): 1000 bytes a second, the lowest MP3 bitrate (8 kbit/s).
  assert.equal(estimateRequestTokens(chat(audio(b64(new Uint8Array(12_000)), "mp3"))), 10 + 120);
  // A wav whose header cannot be read counts as mp3 does.
  assert.equal(estimateRequestTokens(chat(audio(b64(new Uint8Array(3_000)), "wav"))), 10 + 30);
  assert.equal(estimateRequestTokens(chat(audio("", "wav"))), 10);
});

Deno.test("estimateRequestTokens() counts a file part as its data plus a page image per page", () => {
  const pdf = "%PDF-1.4\n1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >> endobj\n" +
    "2 0 obj << /Type /Page /Parent 1 0 R >> endobj\n3 0 obj << /Type/Page /Parent 1 0 R >> endobj\n";
  const fileData = "data:application/pdf;base64," + btoa(pdf);
  const file = (file: Record<string, unknown>) => ({ type: "file", file });
  assert.equal(
    estimateRequestTokens(chat(file({ filename: "a.pdf", file_data: fileData }))),
    Math.ceil((40 + fileData.length) / 4) + 2 * 1536,
  );
  // An uploaded file's size is unknown here: one page.
  assert.equal(estimateRequestTokens(chat(file({ file_id: "file-abc" }))), 10 + 1536);
  // Data that is not base64 still counts as its characters and one page.
  assert.equal(
    estimateRequestTokens(chat(file({ file_data: "not base64!" }))),
    Math.ceil((40 + 11) / 4) + 1536,
  );
});

Deno.test("estimateRequestTokens() counts an image part at detail other than low at the most an image costs", () => {
  const image = (detail?: string) => ({
    type: "image_url",
    image_url: { url: "https://x/y.png", detail },
  });
  assert.equal(estimateRequestTokens(chat(image("low"))), 10 + 85);
  for (const detail of [undefined, "auto", "high"]) {
    assert.equal(estimateRequestTokens(chat(image(detail))), 10 + 1536, String(detail));
  }
});

Deno.test("estimateRequestTokens() reads a wav header after a data: URL prefix", () => {
  const data = "data:audio/wav;base64," + b64(wav(32_000, 10));
  // As without the prefix: 10 s at the header's byte rate, not at the 8 kbit/s fallback.
  assert.equal(estimateRequestTokens(chat(audio(data, "wav"))), 10 + 101);
});

Deno.test("estimateRequestTokens() counts a wav header's byte rate below 1,000 as the fallback, never more", () => {
  // 2,044 bytes: 21 tokens at 1,000 bytes a second; a header saying 2 (or 0) bytes a second must
  // not turn them into 10,220 tokens.
  const low = wav(2, 1000);
  assert.equal(estimateRequestTokens(chat(audio(b64(low), "wav"))), 10 + 21);
  new DataView(low.buffer).setUint32(28, 0, true);
  assert.equal(estimateRequestTokens(chat(audio(b64(low), "wav"))), 10 + 21);
});

Deno.test("estimateRequestTokens() never returns NaN or Infinity for NaN or infinite numbers", () => {
  for (
    const extra of [
      { max_tokens: NaN },
      { max_completion_tokens: NaN },
      { max_tokens: 10, n: NaN },
      { max_tokens: 10, best_of: NaN },
      { max_tokens: Infinity },
      { max_tokens: 10, n: Infinity },
    ]
  ) {
    const tokens = estimateRequestTokens({ ...chat(), ...extra });
    assert.equal(Number.isFinite(tokens), true, `${JSON.stringify(extra)}: ${tokens}`);
  }
});

const pdfPage = (n: number) => `${n} 0 obj << /Type /Page /Parent 1 0 R >> endobj\n`;

Deno.test("estimateRequestTokens() counts the pages of a PDF at any byte offset, not /Pages or /PageLabels", () => {
  const file = (file_data: string) => ({ type: "file", file: { file_data } });
  for (let shift = 0; shift < 3; shift++) {
    for (const end of ["\n", " ", "/", ">", "\r", "\t"]) {
      const pdf = "%PDF-1.4\n" + "%".repeat(shift) +
        "1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 /PageLabels 5 0 R >> endobj\n" +
        pdfPage(2) + `3 0 obj << /Type/Page${end}/Parent 1 0 R >> endobj\n`;
      for (const prefix of ["", "data:application/pdf;base64,"]) {
        const data = prefix + btoa(pdf);
        assert.equal(
          estimateRequestTokens(chat(file(data))),
          Math.ceil((40 + data.length) / 4) + 2 * 1536,
          `shift ${shift} ${JSON.stringify(end)} ${JSON.stringify(prefix)}`,
        );
      }
    }
  }
});

Deno.test("estimateRequestTokens() counts a large PDF by its pages, not its base64 characters / 4", () => {
  // Two scanned pages, 1.5 MB of image data: billed as two pages' images and text, not 500,000
  // tokens that would hold a 150,000 TPM rateLimit() for minutes.
  const image = "\xff".repeat(1_500_000);
  const pdf = "%PDF-1.4\n" + pdfPage(2) + pdfPage(3) + `4 0 obj << /Length ${image.length} >>\n` +
    `stream\n${image}\nendstream\nendobj\n`;
  const tokens = estimateRequestTokens(chat({
    type: "file",
    file: { file_data: "data:application/pdf;base64," + btoa(pdf) },
  }));
  assert.equal(tokens, 10 + 2 * 1536 + 2 * 1500);
});

Deno.test("estimateRequestTokens() never decodes a whole audio or file payload", () => {
  const big = b64(new Uint8Array(300_000));
  const decoded: number[] = [];
  const original = globalThis.atob;
  globalThis.atob = (data: string) => {
    decoded.push(data.length);
    return original(data);
  };
  try {
    estimateRequestTokens(chat(
      audio(big, "wav"),
      audio(b64(mp3(CBR_128, 300_000, id3(100_000))), "mp3"),
      audio("data:audio/wav;base64," + big, "wav"),
      { type: "file", file: { file_data: "data:application/pdf;base64," + big } },
      { type: "file", file: { file_data: big } },
    ));
  } finally {
    globalThis.atob = original;
  }
  // Each audio's first 10 bytes and 256 after its ID3 tag (none here): 16 and 344 characters.
  assert.equal(decoded.every((n) => n <= 344), true, `atob() of ${decoded.join(", ")} characters`);
});

/** An ID3v2.4 tag of `size` bytes after its 10-byte header (syncsafe size), `footer` flagged. */
function id3(size: number, footer = false): Uint8Array<ArrayBuffer> {
  const tag = new Uint8Array(10 + size + (footer ? 10 : 0));
  tag.set([0x49, 0x44, 0x33, 4, 0, footer ? 0x10 : 0]);
  for (let i = 0; i < 4; i++) tag[9 - i] = size >> 7 * i & 0x7f;
  return tag;
}

/**
 * `size` bytes of MP3 whose first frame starts with the 4-byte `header` (the rest zeros, as this
 * estimate reads only the first frame), after `before` (a tag, padding).
 */
function mp3(
  header: number[],
  size: number,
  before: Uint8Array = new Uint8Array(0),
): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(before.length + size);
  bytes.set(before);
  bytes.set(header, before.length);
  return bytes;
}

/** MPEG-1 Layer III, no CRC, 128 kbit/s, 44.1 kHz, joint stereo: 16,000 bytes a second. */
const CBR_128 = [0xff, 0xfb, 0x90, 0x40];

Deno.test("estimateRequestTokens() counts an MP3 at its first frame's bitrate, not at 8 kbit/s", () => {
  // 10 s at 128 kbit/s: 100 tokens (1,600 at 1,000 bytes a second).
  assert.equal(estimateRequestTokens(chat(audio(b64(mp3(CBR_128, 160_000)), "mp3"))), 10 + 100);
  // MPEG-2, 24 kHz, 32 kbit/s, mono (4,000 bytes a second): 10 s.
  assert.equal(
    estimateRequestTokens(chat(audio(b64(mp3([0xff, 0xf3, 0x44, 0xc0], 40_000)), "mp3"))),
    10 + 100,
  );
  // MPEG-2.5, 8 kHz, 8 kbit/s: 1,000 bytes a second, as the fallback.
  assert.equal(
    estimateRequestTokens(chat(audio(b64(mp3([0xff, 0xe3, 0x18, 0xc0], 10_000)), "mp3"))),
    10 + 100,
  );
});

Deno.test("estimateRequestTokens() skips an MP3's ID3v2 tag (not counted as audio), at any byte offset and after a data: URL prefix", () => {
  // Tags of sizes at each offset mod 3 of the base64, one larger than the bytes read at first
  // (a cover image), one with a footer; zero padding after a tag.
  const cases: [Uint8Array, string, number][] = [
    [id3(1000), "1000", 100],
    [id3(1001), "1001", 100],
    [id3(1002), "1002", 100],
    [id3(300_000), "300000", 100],
    [id3(500, true), "footer", 100],
    // The 100 bytes of padding count as audio: 160,100 bytes.
    [new Uint8Array([...id3(500), ...new Uint8Array(100)]), "padding", 101],
  ];
  for (const [before, name, tokens] of cases) {
    for (const prefix of ["", "data:audio/mpeg;base64,"]) {
      const data = prefix + b64(mp3(CBR_128, 160_000, before));
      assert.equal(estimateRequestTokens(chat(audio(data, "mp3"))), 10 + tokens, name + prefix);
    }
  }
});

Deno.test("estimateRequestTokens() counts a VBR MP3 by its Xing frame count, not its first frame's bitrate", () => {
  // LAME's VBR tag frame says 128 kbit/s; the audio averages 64 kbit/s: 10 s in 80,000 bytes.
  // 383 frames of 1,152 samples at 44.1 kHz: 10.005 s.
  const bytes = mp3(CBR_128, 80_000);
  const at = 4 + 32; // after the frame header and MPEG-1 stereo side information
  bytes.set([..."Xing"].map((c) => c.charCodeAt(0)), at);
  new DataView(bytes.buffer).setUint32(at + 4, 0x0f);
  new DataView(bytes.buffer).setUint32(at + 8, 383);
  assert.equal(estimateRequestTokens(chat(audio(b64(bytes), "mp3"))), 10 + 101);
  // "Info" (LAME's CBR tag) too; a frame count under what the highest bitrate allows (320 kbit/s:
  // 2 s) counts as that bitrate.
  bytes.set([..."Info"].map((c) => c.charCodeAt(0)), at);
  new DataView(bytes.buffer).setUint32(at + 8, 10);
  assert.equal(estimateRequestTokens(chat(audio(b64(bytes), "mp3"))), 10 + 20);
  // Without the frame-count flag: the frame's bitrate.
  new DataView(bytes.buffer).setUint32(at + 4, 0);
  assert.equal(estimateRequestTokens(chat(audio(b64(bytes), "mp3"))), 10 + 50);
});

Deno.test("estimateRequestTokens() counts audio whose frame header is not valid Layer III at the 8 kbit/s fallback", () => {
  for (
    const [name, header] of [
      ["free format", [0xff, 0xfb, 0x00, 0x40]],
      ["bitrate index 15", [0xff, 0xfb, 0xf0, 0x40]],
      ["sample rate index 3", [0xff, 0xfb, 0x9c, 0x40]],
      ["Layer II", [0xff, 0xfd, 0x90, 0x40]],
      ["reserved version", [0xff, 0xeb, 0x90, 0x40]],
      ["no sync", [0xfe, 0xfb, 0x90, 0x40]],
      ["ogg", [0x4f, 0x67, 0x67, 0x53]],
    ] as const
  ) {
    assert.equal(
      estimateRequestTokens(chat(audio(b64(mp3([...header], 16_000)), "mp3"))),
      10 + 160,
      name,
    );
  }
  // An ID3 tag claiming more bytes than there are: the fallback over all 510 of them.
  assert.equal(estimateRequestTokens(chat(audio(b64(id3(1000).slice(0, 510)), "mp3"))), 10 + 6);
});

/** Bytes as a string, a character a byte. */
const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);

/**
 * A FLAC file of `size` bytes (after `before`): "fLaC", then a STREAMINFO block of `rate` Hz,
 * `channels`, `bits` a sample and `samples` in all (36 bits), `type` its block header's first
 * byte (0x80: STREAMINFO and the last block); the rest zeros.
 */
function flac(
  { rate = 44_100, channels = 2, bits = 16, samples = 441_000, type = 0x80 } = {},
  size = 1_000_000,
  before: Uint8Array = new Uint8Array(0),
): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(before.length + size);
  bytes.set(before);
  const info = new Uint8Array(42);
  info.set([..."fLaC"].map((c) => c.charCodeAt(0)));
  info.set([type, 0, 0, 34], 4);
  const view = new DataView(info.buffer, 8);
  view.setUint16(0, 4096); // min and max block size
  view.setUint16(2, 4096);
  view.setUint8(10, rate >> 12);
  view.setUint8(11, rate >> 4 & 0xff);
  view.setUint8(12, (rate & 15) << 4 | (channels - 1) << 1 | (bits - 1) >> 4);
  view.setUint8(13, ((bits - 1) & 15) << 4 | Math.floor(samples / 2 ** 32));
  view.setUint32(14, samples % 2 ** 32);
  bytes.set(info, before.length);
  return bytes;
}

Deno.test("estimateRequestTokens() counts a FLAC by its STREAMINFO samples and rate, not at 8 kbit/s", () => {
  // 10 s of 44.1 kHz stereo in 1,000,000 bytes: 100 tokens (10,000 at 1,000 bytes a second).
  assert.equal(estimateRequestTokens(chat(audio(b64(flac()), "flac"))), 10 + 100);
  // After an ID3v2 tag and a data: URL prefix; STREAMINFO not flagged as the last block.
  const data = "data:audio/flac;base64," + b64(flac({ type: 0 }, 1_000_000, id3(1001)));
  assert.equal(estimateRequestTokens(chat(audio(data, "flac"))), 10 + 100);
  // 48 kHz mono 24-bit, 60 s in 2,000,000 bytes.
  const mono = flac({ rate: 48_000, channels: 1, bits: 24, samples: 2_880_000 }, 2_000_000);
  assert.equal(estimateRequestTokens(chat(audio(b64(mono), "flac"))), 10 + 600);
});

Deno.test("audioBytesTokens() never counts a FLAC under its PCM byte rate nor over the fallback", () => {
  const header = (options: Parameters<typeof flac>[0]) => latin1(flac(options, 256));
  // A header claiming 1 s for 1,000,000 bytes of 44.1 kHz 16-bit stereo: at least what that
  // PCM rate (176,400 bytes a second) allows, 5.67 s.
  assert.equal(audioBytesTokens(1_000_000, header({ samples: 44_100 })), 57);
  // A 192 kHz 32-bit 8-channel claim floors at 384,000 bytes a second, as a wav's byte rate.
  assert.equal(
    audioBytesTokens(3_840_000, header({ rate: 192_000, channels: 8, bits: 32, samples: 1 })),
    100,
  );
  // 36-bit totals: 2^32 + 441,000 samples at 44.1 kHz, past the fallback: the fallback; 2^32
  // samples (97,391.5 s) in 200,000,000 bytes.
  assert.equal(audioBytesTokens(1_000_000, header({ samples: 2 ** 32 + 441_000 })), 10_000);
  assert.equal(audioBytesTokens(200_000_000, header({ samples: 2 ** 32 })), 973_916);
  // No total (0), no rate, STREAMINFO not first, or a cut header: 1,000 bytes a second.
  for (
    const [name, bad] of [
      ["no total", header({ samples: 0 })],
      ["no rate", header({ rate: 0 })],
      ["another block first", header({ type: 4 })],
      ["cut", header({}).slice(0, 6)],
    ]
  ) {
    assert.equal(audioBytesTokens(1_000_000, bad), 10_000, name);
  }
});

Deno.test("blobAudioTokens() reads a FLAC upload's STREAMINFO", async () => {
  assert.equal(await blobAudioTokens(new Blob([flac()])), 100);
});

Deno.test("estimateRequestTokens() counts a VBR MP3 by its VBRI frame count, not its first frame's bitrate", () => {
  // Fraunhofer's VBR tag frame says 128 kbit/s; the audio averages 64 kbit/s: 10 s in 80,000
  // bytes. 383 frames of 1,152 samples at 44.1 kHz: 10.005 s (50 tokens at 128 kbit/s).
  const bytes = mp3(CBR_128, 80_000);
  const vbri = 4 + 32; // always 32 bytes after the frame header
  bytes.set([..."VBRI"].map((c) => c.charCodeAt(0)), vbri);
  const view = new DataView(bytes.buffer);
  view.setUint16(vbri + 4, 1); // version
  view.setUint32(vbri + 10, 80_000); // bytes
  view.setUint32(vbri + 14, 383); // frames
  assert.equal(estimateRequestTokens(chat(audio(b64(bytes), "mp3"))), 10 + 101);
  // MPEG-2 24 kHz mono (its Xing would be at 4 + 9): 576 samples a frame, 417 frames, 10.008 s
  // in 20,000 bytes (16 kbit/s; 5 s at the first frame's 32 kbit/s).
  const mpeg2 = mp3([0xff, 0xf3, 0x44, 0xc0], 20_000);
  mpeg2.set([..."VBRI"].map((c) => c.charCodeAt(0)), vbri);
  new DataView(mpeg2.buffer).setUint32(vbri + 14, 417);
  assert.equal(estimateRequestTokens(chat(audio(b64(mpeg2), "mp3"))), 10 + 101);
  // A frame count under what the highest bitrate allows counts as that bitrate (320 kbit/s: 2 s).
  view.setUint32(vbri + 14, 10);
  assert.equal(estimateRequestTokens(chat(audio(b64(bytes), "mp3"))), 10 + 20);
});
