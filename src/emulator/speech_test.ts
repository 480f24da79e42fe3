import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";
import { silentMp3, SPEECH_SAMPLE_RATE } from "./speech.ts";
import { wavDuration } from "./transcription.ts";

const PATH = "/openai/deployments/tts/audio/speech";
const V = { apiVersion: "2024-05-01-preview" };

Deno.test("speech returns a RIFF WAV whose length grows with the input", async () => {
  const e = createEmulator();
  const short = await post(e, PATH, { input: "Hi!", voice: "alloy", response_format: "wav" }, V);
  assert.equal(short.status, 200);
  assert.equal(short.headers.get("content-type"), "audio/wav");
  const a = new Uint8Array(await short.arrayBuffer());
  assert.equal(new TextDecoder().decode(a.subarray(0, 4)), "RIFF");
  assert.equal(new TextDecoder().decode(a.subarray(8, 16)), "WAVEfmt ");
  const view = new DataView(a.buffer);
  assert.equal(view.getUint16(20, true), 1);
  assert.equal(view.getUint16(34, true), 16);
  assert.equal(view.getUint32(24, true), SPEECH_SAMPLE_RATE);
  assert.equal(view.getUint32(4, true), a.length - 8);
  const long = new Uint8Array(
    await (await post(
      e,
      PATH,
      { input: "Hi! ".repeat(30), voice: "alloy", response_format: "wav" },
      V,
    ))
      .arrayBuffer(),
  );
  assert.ok(long.length > a.length * 10);
  assert.equal(wavDuration(long), 120 / 15);
  const fast = new Uint8Array(
    await (await post(e, PATH, {
      input: "Hi! ".repeat(30),
      voice: "alloy",
      response_format: "wav",
      speed: 2,
    }, V)).arrayBuffer(),
  );
  assert.equal(wavDuration(fast), 4);
});

Deno.test("speech defaults to mp3 frames with audio/mpeg", async () => {
  const e = createEmulator();
  const res = await post(e, PATH, { input: "Hello there", voice: "nova" }, V);
  assert.equal(res.headers.get("content-type"), "audio/mpeg");
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual(Array.from(bytes.subarray(0, 4)), [0xff, 0xfb, 0x90, 0xc0]);
  assert.equal(bytes.length % 417, 0);
  assert.equal(bytes[417], 0xff);
});

Deno.test("speech pcm is headerless 16-bit samples at 24 kHz", async () => {
  const e = createEmulator();
  const res = await post(
    e,
    PATH,
    { input: "x".repeat(15), voice: "echo", response_format: "pcm" },
    V,
  );
  assert.equal(res.headers.get("content-type"), "audio/pcm");
  assert.equal((await res.arrayBuffer()).byteLength, SPEECH_SAMPLE_RATE * 2);
});

Deno.test("speech answers 400 naming the param for bad bodies", async () => {
  const e = createEmulator();
  const cases: [unknown, string][] = [
    [{ voice: "alloy" }, "input"],
    [{ input: "x".repeat(4097), voice: "alloy" }, "input"],
    [{ input: "x" }, "voice"],
    [{ input: "x", voice: "robot" }, "voice"],
    [{ input: "x", voice: "alloy", speed: 5 }, "speed"],
    [{ input: "x", voice: "alloy", response_format: "ogg" }, "response_format"],
  ];
  for (const [body, param] of cases) {
    const res = await post(e, PATH, body, V);
    assert.equal(res.status, 400, param);
    assert.equal((await res.json()).error.param, param);
  }
  const max = await post(e, PATH, {
    input: "x".repeat(4096),
    voice: "alloy",
    response_format: "pcm",
  }, V);
  assert.equal(max.status, 200);
  await max.body?.cancel();
});

Deno.test("silentMp3() emits whole frames covering the duration", () => {
  const mp3 = silentMp3(1);
  assert.equal(mp3.length, Math.ceil(44_100 / 1152) * 417);
});

Deno.test("speech answers 400 invalid_value naming response_format for a non-string or an inherited name", async () => {
  // The enum takes strings: String(["wav"]) is "wav", and "constructor" is a key of every object.
  const e = createEmulator();
  for (const response_format of [["wav"], ["mp3"], "constructor", "toString", 3]) {
    const res = await post(e, PATH, { input: "x", voice: "alloy", response_format }, V);
    assert.equal(res.status, 400, JSON.stringify(response_format));
    const { error } = await res.json();
    assert.equal(error.param, "response_format");
    assert.equal(error.code, "invalid_value", JSON.stringify(response_format));
  }
});

Deno.test("speech answers 400 invalid_type for a null response_format or speed on 2024-05-01-preview", async () => {
  // createSpeechRequest marks neither nullable; versions without a stored document take null.
  const e = createEmulator();
  for (const field of ["response_format", "speed"]) {
    const res = await post(e, PATH, { input: "x", voice: "alloy", [field]: null }, V);
    assert.equal(res.status, 400, field);
    const { error } = await res.json();
    assert.equal(error.param, field);
    assert.equal(error.code, "invalid_type");
    const lenient = await post(e, PATH, { input: "x", voice: "alloy", [field]: null }, {
      apiVersion: "2024-12-01-preview",
    });
    assert.equal(lenient.status, 200, field);
    await lenient.body?.cancel();
  }
});

Deno.test("speech takes only the document's six voices on 2024-05-01-preview", async () => {
  // Later voices (ash, coral, ...) came with newer models; versions without a stored document
  // take them.
  const e = createEmulator();
  for (const voice of ["ash", "ballad", "coral", "sage", "verse"]) {
    const res = await post(e, PATH, { input: "x", voice }, V);
    assert.equal(res.status, 400, voice);
    const { error } = await res.json();
    assert.equal(error.param, "voice");
    assert.match(error.message, /alloy, echo, fable, onyx, nova, shimmer\./);
    const later = await post(e, PATH, { input: "x", voice }, { apiVersion: "2024-12-01-preview" });
    assert.equal(later.status, 200, voice);
    await later.body?.cancel();
  }
  for (const voice of ["alloy", "echo", "fable", "onyx", "nova", "shimmer"]) {
    const res = await post(e, PATH, { input: "x", voice }, V);
    assert.equal(res.status, 200, voice);
    await res.body?.cancel();
  }
});

Deno.test("speech counts input in characters, as the spec's maxLength does: 4096 emoji pass, 4097 do not", async () => {
  const e = createEmulator();
  const ok = await post(e, PATH, {
    input: "😀".repeat(4096),
    voice: "alloy",
    response_format: "pcm",
  }, V);
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  const over = await post(e, PATH, { input: "😀".repeat(4097), voice: "alloy" }, V);
  assert.equal(over.status, 400);
  assert.match((await over.json()).error.message, /'input' is 4097 characters/);
});
