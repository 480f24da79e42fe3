// The token budget's estimates of token-billed transcriptions (the gpt-4o-transcribe family),
// where the reply does not say what the upload cost: the audio is counted at 10 tokens a second,
// its length from a wav header's byte rate, else at 1,000 bytes a second, as the client's
// estimator counts input_audio.
// - a stream cut before `transcript.text.done` was charged only the text it streamed (the audio,
//   most of the bill, counted 0);
// - a `response_format: text` reply (no usage) was charged 0;
// - a transcription in flight held nothing against its client's budget.
import assert from "node:assert/strict";
import { ClientTokenLimiter, type EdgeRequestEvent } from "../../edge/mod.ts";
import { estimateTokens } from "../../edge/_events.ts";
import { azurePath, recordingLimiter, testApp } from "./_helpers.ts";

/** A PCM wav of `seconds` at `byteRate` bytes a second (44-byte header, fmt chunk first). */
function wav(byteRate: number, seconds: number): Uint8Array<ArrayBuffer> {
  const size = byteRate * seconds;
  const bytes = new Uint8Array(44 + size);
  const view = new DataView(bytes.buffer);
  const ascii = (text: string, at: number) => bytes.set([...text].map((c) => c.charCodeAt(0)), at);
  ascii("RIFF", 0);
  view.setUint32(4, 36 + size, true);
  ascii("WAVEfmt ", 8);
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, byteRate / 2, true);
  view.setUint32(28, byteRate, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii("data", 36);
  view.setUint32(40, size, true);
  return bytes;
}

function upload(file: File, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.set("file", file);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}

/** An app with a recording token limiter, and its next onRequest event. */
function setup(deployments = [{ name: "t4o", model: "gpt-4o-transcribe" }]) {
  const r = recordingLimiter();
  let delivered!: (event: EdgeRequestEvent) => void;
  const event = new Promise<EdgeRequestEvent>((resolve) => delivered = resolve);
  const t = testApp({
    emulator: { deployments },
    tokenLimit: { limiter: r.limiter },
    onRequest: (e) => delivered(e),
  });
  return { r, t, event };
}

/** The text of the delta events complete in `text` (a stream's start, as a client read it). */
function deltas(text: string): string {
  const complete = text.slice(0, text.lastIndexOf("\n\n") + 2).split("\n\n");
  return complete.flatMap((block) => block.split("\n"))
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)).delta ?? "").join("");
}

/** Lets the charges started with the event reach the limiter (one task later). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("tokenLimit: a streamed transcription cut before transcript.text.done is charged its audio's estimate (wav byte rate) with the text it streamed", async () => {
  const { r, t, event } = setup();
  // 3 s of 16 kHz 16-bit mono: 30 tokens of audio (31 with its header's bytes).
  const file = new File([wav(32_000, 3)], "talk.wav", { type: "audio/wav" });
  const res = await t.call(azurePath("t4o", "audio/transcriptions"), {
    method: "POST",
    body: upload(file, { stream: "true" }),
  });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  let text = "";
  const decoder = new TextDecoder();
  while ((text.match(/transcript\.text\.delta/g) ?? []).length < 6) {
    const { done, value } = await reader.read();
    assert.ok(!done, "the stream ended before three deltas");
    text += decoder.decode(value, { stream: true });
  }
  assert.ok(!text.includes("transcript.text.done"));
  await reader.cancel();
  assert.equal((await event).error, "ClientClosedRequest");
  await settle();
  // The deltas of the complete events the client got (the tap saw the same bytes).
  const streamed = deltas(text);
  assert.ok(streamed.length > 0);
  assert.deepEqual(r.tokens, [Math.ceil(file.size / 32_000 * 10) + estimateTokens(streamed)]);
  assert.equal(Math.ceil(file.size / 32_000 * 10), 31);
});

Deno.test("tokenLimit: a streamed transcription of audio without a wav header counts it at 1,000 bytes a second, and its prompt", async () => {
  const { r, t, event } = setup();
  const file = new File([new Uint8Array(8_000)], "talk.mp3", { type: "audio/mpeg" });
  const prompt = "Names: Contoso, Fabrikam.";
  const res = await t.call(azurePath("t4o", "audio/transcriptions"), {
    method: "POST",
    body: upload(file, { stream: "true", prompt }),
  });
  assert.equal(res.status, 200);
  // The first chunk only (a delta, no usage yet), then cut.
  const reader = res.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  assert.ok(!first.includes("transcript.text.done"));
  await reader.cancel();
  await event;
  await settle();
  const streamed = deltas(first);
  assert.ok(streamed.length > 0);
  assert.deepEqual(r.tokens, [80 + estimateTokens(prompt) + estimateTokens(streamed)]);
});

for (
  const { name, path, model, deployment } of [
    {
      name: "its form model",
      path: azurePath("t4o", "audio/transcriptions"),
      model: "gpt-4o-transcribe",
      deployment: "t4o",
    },
    {
      name: "its deployment's name",
      path: "/openai/v1/audio/transcriptions",
      model: "gpt-4o-mini-transcribe",
      deployment: "gpt-4o-mini-transcribe",
    },
  ]
) {
  Deno.test(`tokenLimit: a gpt-4o-transcribe reply in response_format text (no usage) is charged the estimate of its audio and text, told by ${name}`, async () => {
    const { r, t, event } = setup([{ name: deployment, model: "gpt-4o-transcribe" }]);
    const file = new File([new Uint8Array(8_000)], "talk.mp3", { type: "audio/mpeg" });
    const res = await t.call(path, {
      method: "POST",
      body: upload(file, { model, response_format: "text" }),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
    const text = await res.text();
    assert.ok(text.length > 20);
    assert.equal((await event).usage, undefined);
    await settle();
    assert.deepEqual(r.tokens, [80 + estimateTokens(text)]);
  });
}

Deno.test("tokenLimit: a gpt-4o-transcribe text reply the client drops unread is read on and charged its estimate", async () => {
  const { r, t, event } = setup();
  const file = new File([new Uint8Array(8_000)], "talk.mp3", { type: "audio/mpeg" });
  const res = await t.call(azurePath("t4o", "audio/transcriptions"), {
    method: "POST",
    body: upload(file, { model: "gpt-4o-transcribe", response_format: "text" }),
  });
  assert.equal(res.status, 200);
  await res.body!.cancel();
  assert.equal((await event).error, "ClientClosedRequest");
  await settle();
  // The emulator's transcript of this upload.
  const text = "The emulator heard talk.mp3, 8000 bytes. This is a deterministic transcript.\n";
  assert.deepEqual(r.tokens, [80 + estimateTokens(text)]);
});

Deno.test("tokenLimit: a text transcription not known to be token-billed (Whisper, or a deployment name that says nothing) is charged nothing", async () => {
  for (const [deployment, model] of [["whisper", "whisper"], ["t4o", "gpt-4o-transcribe"]]) {
    const { r, t, event } = setup([{ name: deployment, model }]);
    const file = new File([new Uint8Array(8_000)], "talk.mp3", { type: "audio/mpeg" });
    const res = await t.call(azurePath(deployment, "audio/transcriptions"), {
      method: "POST",
      body: upload(file, { response_format: "text" }),
    });
    assert.equal(res.status, 200);
    await res.text();
    await event;
    await settle();
    assert.deepEqual(r.tokens, [], deployment);
  }
});

for (const stream of [true, false]) {
  Deno.test(`tokenLimit: a token-billed transcription in flight (${stream ? "streamed" : "text"}) holds its audio's estimate against its client's budget`, async () => {
    // 100 tokens a minute; the upload is estimated at 320 (32,000 bytes at 1,000 a second).
    const limiter = new ClientTokenLimiter({ tokensPerMinute: 100 });
    const t = testApp({
      emulator: {
        deployments: [{ name: "gpt-4o-transcribe", model: "gpt-4o-transcribe" }, {
          name: "gpt-4o",
          model: "gpt-4o",
        }],
      },
      tokenLimit: { limiter },
    });
    const file = new File([new Uint8Array(32_000)], "talk.wav", { type: "audio/wav" });
    const fields: Record<string, string> = stream
      ? { stream: "true" }
      : { response_format: "text" };
    const audio = await t.call(azurePath("gpt-4o-transcribe", "audio/transcriptions"), {
      method: "POST",
      body: upload(file, fields),
    });
    assert.equal(audio.status, 200);
    // The transcription's reply is not read yet: it is in flight, holding its estimate.
    const chat = await t.call(azurePath("gpt-4o", "chat/completions"), {
      json: { messages: [{ role: "user", content: "Hi" }] },
    });
    assert.equal(chat.status, 429);
    await chat.body?.cancel();
    await audio.text();
  });
}

Deno.test("stream flag: the app and the emulator agree that only the form value 'true' asks for a stream", async () => {
  for (const value of ["true", "True", "1"]) {
    const t = testApp({
      emulator: { deployments: [{ name: "t4o", model: "gpt-4o-transcribe" }] },
    });
    const file = new File([new Uint8Array(8_000)], "talk.mp3", { type: "audio/mpeg" });
    const res = await t.call(azurePath("t4o", "audio/transcriptions"), {
      method: "POST",
      body: upload(file, { stream: value }),
    });
    assert.equal(res.status, 200);
    const streamed = (res.headers.get("content-type") ?? "").startsWith("text/event-stream");
    await res.text();
    // What the app asked the upstream for, and what the emulator answered.
    assert.equal(t.upstreamHeaders[0].get("accept") === "text/event-stream", value === "true");
    assert.equal(streamed, value === "true", value);
  }
});
