/**
 * The largest legal audio upload, as FormData serialises it: a form of exactly 25 MB (the whole
 * request, as the service counts it) is taken by the emulator directly and through the edge app,
 * whose relay (a new encoding of the same parts) must stay within the limit (the emulator counts
 * the whole request, as the service does).
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { MAX_AUDIO_BYTES } from "../../src/emulator/transcription.ts";
import { testApp } from "../edge/_helpers.ts";
import { audioBytes, formOf } from "./_audio_forms.ts";

/** The parts of a form whose file has `size` bytes. */
function parts(size: number): Array<[string, string | File]> {
  const file = new File([audioBytes("wav", size, () => 0)], "long meeting; part 2.wav", {
    type: "audio/wav",
  });
  return [["response_format", "verbose_json"], ["language", "en"], ["file", file]];
}

async function encodedSize(size: number): Promise<number> {
  return (await new Response(formOf(parts(size))).arrayBuffer()).byteLength;
}

Deno.test("audio fuzz: a form of exactly 25 MB is taken directly and through the app", async () => {
  const size = MAX_AUDIO_BYTES - await encodedSize(0);
  assert.equal(await encodedSize(size), MAX_AUDIO_BYTES);
  const path = "/openai/deployments/whisper/audio/transcriptions?api-version=2024-10-21";
  const emulator = createEmulator();
  const send = (n: number) =>
    emulator.fetch(`http://emulator.test${path}`, {
      method: "POST",
      headers: { "api-key": emulator.apiKey },
      body: formOf(parts(n)),
    });
  // The limit counts the whole request: one byte more is refused.
  const over = await send(size + 1);
  assert.equal(over.status, 413);
  await over.body?.cancel();
  const direct = await send(size);
  const directBody = await direct.json();
  assert.equal(direct.status, 200, JSON.stringify(directBody));
  const t = testApp();
  const res = await t.call(path, { method: "POST", body: formOf(parts(size)) });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(t.upstream.length, 1);
  assert.deepEqual(body, directBody);
  assert.match(body.text, new RegExp(`heard long meeting; part 2\\.wav, ${size} bytes`));
});
