import assert from "node:assert/strict";
import { estimateRequestTokens } from "./mod.ts";

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
  // mp3 (no header read): 1000 bytes a second, the lowest MP3 bitrate (8 kbit/s).
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
