// The token budget's estimate of a token-billed transcription's MP3 upload: its length from its
// first frame's bitrate (after an ID3v2 tag, which is not audio), not at 1,000 bytes a second,
// which counted a 128 kbit/s MP3 16 times over (its hold refused the client's other requests).
import assert from "node:assert/strict";
import type { EdgeRequestEvent } from "../../edge/mod.ts";
import { estimateTokens } from "../../edge/_events.ts";
import { uploadTokens } from "../../edge/_operations.ts";
import { blobAudioTokens } from "../../src/middleware/_token_estimate.ts";
import { azurePath, recordingLimiter, testApp } from "./_helpers.ts";

/** `seconds` of MPEG-1 Layer III at 128 kbit/s, 44.1 kHz (16,000 bytes a second) after a tag. */
function mp3(seconds: number, tagSize: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(10 + tagSize + 16_000 * seconds);
  bytes.set([0x49, 0x44, 0x33, 3, 0, 0]); // ID3v2.3
  for (let i = 0; i < 4; i++) bytes[9 - i] = tagSize >> 7 * i & 0x7f;
  bytes.set([0xff, 0xfb, 0x90, 0x40], 10 + tagSize);
  return bytes;
}

Deno.test("blobAudioTokens() reads an uploaded MP3's length from its frame header after its ID3 tag", async () => {
  // A 200 KB tag (a cover image): 10 s of audio after it, 100 tokens (not 2,600).
  assert.equal(await blobAudioTokens(new Blob([mp3(10, 200_000)])), 100);
  assert.equal(await blobAudioTokens(new Blob([mp3(10, 0)])), 100);
  // Not audio it can read: 1,000 bytes a second.
  assert.equal(await blobAudioTokens(new Blob([new Uint8Array(8_000)])), 80);
  assert.equal(await blobAudioTokens(new Blob([])), 0);
});

Deno.test("uploadTokens() counts a transcription's MP3 by its bitrate, plus its prompt", async () => {
  const form = new FormData();
  form.set("file", new File([mp3(6, 4_000)], "talk.mp3", { type: "audio/mpeg" }));
  form.set("prompt", "Names: Contoso, Fabrikam.");
  assert.equal(await uploadTokens(form), 60 + estimateTokens("Names: Contoso, Fabrikam."));
});

Deno.test("tokenLimit: a gpt-4o-transcribe text reply of an MP3 is charged its audio at the MP3's bitrate", async () => {
  const r = recordingLimiter();
  let delivered!: (event: EdgeRequestEvent) => void;
  const event = new Promise<EdgeRequestEvent>((resolve) => delivered = resolve);
  const t = testApp({
    emulator: { deployments: [{ name: "t4o", model: "gpt-4o-transcribe" }] },
    tokenLimit: { limiter: r.limiter },
    onRequest: (e) => delivered(e),
  });
  const form = new FormData();
  form.set("file", new File([mp3(3, 1_000)], "talk.mp3", { type: "audio/mpeg" }));
  form.set("model", "gpt-4o-transcribe");
  form.set("response_format", "text");
  const res = await t.call(azurePath("t4o", "audio/transcriptions"), {
    method: "POST",
    body: form,
  });
  assert.equal(res.status, 200);
  const text = await res.text();
  await event;
  await r.reach(1);
  // 3 s: 30 tokens (481 at 1,000 bytes a second).
  assert.deepEqual(r.tokens, [30 + estimateTokens(text)]);
});
