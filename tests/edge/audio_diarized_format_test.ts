// gpt-4o-transcribe-diarize answers response_format diarized_json (the client sends it, the
// emulator answers it); the edge app refused it as "expected one of json, text, srt,
// verbose_json, vtt" before any upstream call.
import assert from "node:assert/strict";
import { azurePath, testApp } from "./_helpers.ts";

Deno.test("edge app: response_format diarized_json goes upstream to a gpt-4o-transcribe-diarize deployment", async () => {
  const t = testApp({
    emulator: { deployments: [{ name: "diarize", model: "gpt-4o-transcribe-diarize" }] },
  });
  const form = new FormData();
  const wav = new Uint8Array(44 + 32_000);
  form.set("file", new File([wav], "talk.wav", { type: "audio/wav" }));
  form.set("response_format", "diarized_json");
  form.set("chunking_strategy", "auto");
  const res = await t.call(azurePath("diarize", "audio/transcriptions"), {
    method: "POST",
    body: form,
  });
  const body = await res.json();
  assert.notEqual(body.error?.param, "response_format", JSON.stringify(body));
  assert.equal(t.upstream.length, 1);
  // Formats no model answers are still refused by the app.
  form.set("response_format", "mp3");
  const mp3 = await t.call(azurePath("diarize", "audio/transcriptions"), {
    method: "POST",
    body: form,
  });
  assert.equal(mp3.status, 400);
  assert.equal((await mp3.json()).error.param, "response_format");
  assert.equal(t.upstream.length, 1);
});
