// Streamed transcription through both clients: the same `audio.transcriptions.create({ stream:
// true })` call, with the official openai SDK's AzureOpenAI and with the bundled core
// (compat/.build/core.mjs), against the emulator bundle over HTTP. Both must yield the same
// events (transcript.text.delta ..., transcript.text.done with usage), and the SDK must read the
// emulator's wire form (events named transcript.*, no [DONE]) as it reads the service's. Run with
// `sh compat/run.sh`, or `cd compat && sh build.sh && sh build_runtime.sh && node --test
// tests/transcribe_stream.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as openai from "openai";
import * as ours from "../.build/core.mjs";
import { createEmulator } from "../.build/emulator.mjs";
import { wavBytes } from "../runtime/scenarios.mjs";
import { serve } from "./_serve.mjs";

const API_VERSION = "2025-03-01-preview";
let emulator;
let server;

before(async () => {
  emulator = createEmulator({
    apiKeys: ["transcribe-key"],
    chunkSize: 2,
    deployments: [
      { name: "t4o", model: "gpt-4o-transcribe" },
      { name: "diarize", model: "gpt-4o-transcribe-diarize" },
      { name: "whisper", model: "whisper" },
    ],
  });
  server = await serve((request) => emulator.fetch(request));
});

after(async () => {
  await server.close();
});

/** 1 s of 16 kHz 16-bit mono silence as a WAV file. */
const wav = () => new File([wavBytes(1, 16_000)], "hello.wav", { type: "audio/wav" });

/** What `fn(library)` gives with the SDK and with ours. */
async function both(fn) {
  return [await fn(openai), await fn(ours)];
}

function client(lib) {
  return new lib.AzureOpenAI({
    endpoint: server.url,
    apiKey: "transcribe-key",
    apiVersion: API_VERSION,
    maxRetries: 0,
  });
}

/** Every event of a streamed transcription. */
async function streamed(lib, params) {
  const stream = await client(lib).audio.transcriptions.create({
    file: wav(),
    stream: true,
    ...params,
  });
  const events = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe("streamed transcription: the openai SDK and @aoai/edge read the same events", () => {
  test("gpt-4o-transcribe: deltas that join into the text, then transcript.text.done with usage", async () => {
    const [sdk, edge] = await both((lib) => streamed(lib, { model: "t4o" }));
    assert.ok(sdk.length > 2, `only ${sdk.length} events`);
    assert.deepEqual(edge, sdk);
    const done = sdk.at(-1);
    assert.equal(done.type, "transcript.text.done");
    assert.equal(done.usage.type, "tokens");
    const deltas = sdk.slice(0, -1);
    assert.ok(deltas.every((e) => e.type === "transcript.text.delta"));
    assert.equal(deltas.map((e) => e.delta).join(""), done.text);
    // The text a plain call gives, usage included.
    const [plainSdk, plainEdge] = await both((lib) =>
      client(lib).audio.transcriptions.create({ file: wav(), model: "t4o" })
    );
    assert.deepEqual(plainEdge, plainSdk);
    assert.deepEqual(plainSdk, { text: done.text, usage: done.usage });
  });

  test("include logprobs, and gpt-4o-transcribe-diarize's diarized_json segments", async () => {
    const [sdk, edge] = await both((lib) => streamed(lib, { model: "t4o", include: ["logprobs"] }));
    assert.deepEqual(edge, sdk);
    assert.ok(sdk.at(-1).logprobs.length > 0);
    const [sdkD, edgeD] = await both((lib) =>
      streamed(lib, { model: "diarize", response_format: "diarized_json" })
    );
    assert.deepEqual(edgeD, sdkD);
    assert.ok(sdkD.some((e) => e.type === "transcript.text.segment"));
  });

  test("a Whisper deployment answers stream: true with a 400 both clients throw as BadRequestError", async () => {
    const [sdk, edge] = await both((lib) =>
      streamed(lib, { model: "whisper" }).then(() => assert.fail("resolved"), (err) => err)
    );
    assert.ok(sdk instanceof openai.BadRequestError);
    assert.ok(edge instanceof ours.BadRequestError);
    assert.equal(edge.status, sdk.status);
    assert.equal(edge.param, sdk.param);
    assert.equal(edge.code, sdk.code);
  });

  test("our toReadableStream() relays the events as JSON lines the SDK's Stream.fromReadableStream() reads back the same", async () => {
    const { Stream } = await import("openai/streaming");
    const stream = await client(ours).audio.transcriptions.create({
      file: wav(),
      model: "t4o",
      stream: true,
    });
    const relayed = Stream.fromReadableStream(stream.toReadableStream(), new AbortController());
    const events = [];
    for await (const event of relayed) events.push(event);
    assert.deepEqual(events, await streamed(openai, { model: "t4o" }));
  });
});
