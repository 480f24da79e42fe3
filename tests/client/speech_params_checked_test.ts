// audio.speech.create() checks its params before sending, as the service takes them: `input` at
// most MAX_SPEECH_INPUT (4096) characters counted by code point (4096 emoji pass, though their
// UTF-16 length is 8192), `speed` from 0.25 to 4 (both bounds sent), `voice` a non-empty string
// (missing: "is required"). audio.transcriptions.create() takes `temperature` from 0 to 1.
// (Mutation testing: these bounds and messages could move and no test noticed.)
import assert from "node:assert/strict";
import { AzureOpenAI, MAX_SPEECH_INPUT } from "../../mod.ts";
import type { SpeechCreateParams } from "../../mod.ts";

/** A client whose fake service answers every call with audio bytes; `sent` counts the requests. */
function client(sent: string[]) {
  return new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-speech-params-key-1234",
    apiVersion: "2025-04-01-preview",
    fetch: (input, init) => {
      sent.push(new Request(input, init).url);
      return Promise.resolve(
        new Response(new Uint8Array(4), { headers: { "content-type": "audio/mpeg" } }),
      );
    },
  });
}

const speech = (input: string, more: Partial<SpeechCreateParams> = {}) => ({
  model: "tts",
  voice: "alloy",
  input,
  ...more,
});

Deno.test("audio.speech.create() sends 4096 characters (4096 emoji too) and speed 0.25 and 4", async () => {
  const sent: string[] = [];
  const audio = client(sent).audio;
  assert.equal(MAX_SPEECH_INPUT, 4096);
  for (
    const params of [
      speech("a".repeat(4096)),
      speech("🦊".repeat(4096)),
      speech("x", { speed: 0.25 }),
      speech("x", { speed: 4 }),
    ]
  ) {
    const res = await audio.speech.create(params);
    assert.equal((await res.arrayBuffer()).byteLength, 4);
  }
  assert.equal(sent.length, 4);
});

Deno.test("audio.speech.create() refuses 4097 characters, speed out of 0.25..4 and a missing or empty voice, sending nothing", async () => {
  const sent: string[] = [];
  const audio = client(sent).audio;
  const refused: [SpeechCreateParams, string][] = [
    [speech("a".repeat(4097)), "params.input has 4097 characters; at most 4096 (split the text)"],
    [speech("🦊".repeat(4097)), "params.input has 4097 characters; at most 4096 (split the text)"],
    [speech("x", { speed: 0.2 }), "params.speed must be a number from 0.25 to 4; got 0.2"],
    [speech("x", { speed: 4.5 }), "params.speed must be a number from 0.25 to 4; got 4.5"],
    [speech("x", { voice: undefined }), 'params.voice is required (e.g. "alloy")'],
    [speech("x", { voice: "" }), 'params.voice must be a non-empty string (e.g. "alloy")'],
  ];
  for (const [params, message] of refused) {
    await assert.rejects(
      audio.speech.create(params),
      (err: unknown) => {
        assert.ok(err instanceof TypeError, String(err));
        assert.equal(err.message, `audio.speech.create: ${message}`);
        return true;
      },
      message,
    );
  }
  assert.deepEqual(sent, []);
});

Deno.test("audio.transcriptions.create() refuses temperature 1.5 and null params with a rejection, sending nothing", async () => {
  const sent: string[] = [];
  const transcriptions = client(sent).audio.transcriptions;
  const file = new File([new Uint8Array(8)], "a.wav");
  await assert.rejects(
    transcriptions.create({ model: "whisper", file, temperature: 1.5 }),
    /^TypeError: audio\.transcriptions\.create: params\.temperature must be a number from 0 to 1; got 1\.5$/,
  );
  // A rejection, not a throw: the call's own "pass a params object" error.
  const nothing = transcriptions.create(null as never);
  await assert.rejects(
    nothing,
    /^TypeError: audio\.transcriptions\.create: pass a params object as the first argument$/,
  );
  assert.deepEqual(sent, []);
});
