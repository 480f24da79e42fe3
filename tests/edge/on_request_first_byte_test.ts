/**
 * `firstByteMs` of `onRequest` events: from the request's arrival until the first body byte went
 * to the client (a stream's time to first token), on the app's injected clock. The emulator's
 * chunks wait on gates the test opens, so the clock only moves when the test moves it.
 */
import assert from "node:assert/strict";
import type { EdgeRequestEvent } from "../../edge/mod.ts";
import type { EmulatorOptions } from "../../src/emulator/mod.ts";
import { wavFile } from "../../src/emulator/speech.ts";
import { azurePath, testApp } from "./_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const EMBED = azurePath("text-embedding-3-small", "embeddings");
const MESSAGES = [{ role: "user", content: "one two three four five" }];

/** Lets pending work run (one task turn: no time threshold). */
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

/** An app on an emulator whose every chunk waits for `open()`, with a clock the test sets. */
function gatedApp(emulator: EmulatorOptions = {}) {
  const clock = { t: 0 };
  const gates: (() => void)[] = [];
  const events: EdgeRequestEvent[] = [];
  let delivered!: () => void;
  const event = new Promise<void>((resolve) => delivered = resolve);
  const app = testApp({
    now: () => clock.t,
    onRequest: (e) => {
      events.push(e);
      delivered();
    },
    emulator: {
      chunkDelayMs: 1,
      sleep: () => new Promise<void>((resolve) => gates.push(resolve)),
      ...emulator,
    },
  });
  /** Opens the next gate, once the emulator waits on one. */
  const open = async () => {
    while (gates.length === 0) await turn();
    gates.shift()!();
  };
  return { app, clock, events, event, open };
}

/** Reads `reader` to its end, opening gates as the emulator waits on them. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, open: () => Promise<void>) {
  let ended = false;
  const reading = (async () => {
    while (!(await reader.read()).done) { /* on */ }
    ended = true;
  })();
  while (!ended) {
    await Promise.race([open(), reading]);
  }
  await reading;
}

Deno.test("onRequest firstByteMs: a stream's time to its first chunk, durationMs to its end", async () => {
  for (const include_usage of [true, false]) {
    const { app, clock, events, event, open } = gatedApp();
    const res = await app.call(CHAT, {
      json: { messages: MESSAGES, stream: true, stream_options: { include_usage } },
    });
    assert.equal(res.status, 200);
    clock.t = 30; // the first chunk is made and sent at 30
    const reader = res.body!.getReader();
    const first = reader.read();
    await open();
    assert.equal((await first).done, false);
    clock.t = 75; // the rest, and the end, at 75
    await drain(reader, open);
    await event;
    assert.equal(events.length, 1);
    assert.equal(events[0].stream, true);
    assert.equal(events[0].firstByteMs, 30, `include_usage: ${include_usage}`);
    assert.equal(events[0].durationMs, 75);
    assert.equal(events[0].usage === undefined, !include_usage);
  }
});

Deno.test("onRequest firstByteMs: a JSON reply's first byte; none for a cancel before any byte", async () => {
  {
    const { app, clock, events, event } = gatedApp();
    const res = await app.call(EMBED, { json: { input: "alpha" } });
    clock.t = 12;
    await res.json();
    await event;
    assert.equal(events[0].firstByteMs, 12);
    assert.equal(events[0].durationMs, 12);
  }
  {
    const { app, clock, events, event } = gatedApp();
    const res = await app.call(CHAT, { json: { messages: MESSAGES, stream: true } });
    clock.t = 5;
    await res.body!.cancel();
    await event;
    assert.equal(events[0].error, "ClientClosedRequest");
    assert.equal(events[0].firstByteMs, undefined);
    assert.equal(events[0].durationMs, 5);
  }
});

Deno.test("onRequest firstByteMs: a stream cancelled after its first chunk keeps it", async () => {
  const { app, clock, events, event, open } = gatedApp();
  const res = await app.call(CHAT, { json: { messages: MESSAGES, stream: true } });
  clock.t = 8;
  const reader = res.body!.getReader();
  const first = reader.read();
  await open();
  await first;
  clock.t = 20;
  await reader.cancel();
  await event;
  assert.equal(events[0].error, "ClientClosedRequest");
  assert.equal(events[0].firstByteMs, 8);
  assert.equal(events[0].durationMs, 20);
});

Deno.test("onRequest firstByteMs: none for an answer without a body", async () => {
  const { app, events, event } = gatedApp();
  const res = await app.call("/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", {
    method: "OPTIONS",
    headers: { origin: "https://app.example", "access-control-request-method": "POST" },
  });
  assert.equal(res.body, null, `status ${res.status}`);
  await event;
  assert.equal(events[0].firstByteMs, undefined);
});

Deno.test("onRequest firstByteMs: a JSON chat, a streamed transcription and a 10 MB reply", async () => {
  {
    const { app, clock, events, event } = gatedApp();
    const res = await app.call(CHAT, { json: { messages: MESSAGES } });
    clock.t = 4;
    const body = await res.json();
    await event;
    assert.equal(events[0].firstByteMs, 4);
    assert.deepEqual(events[0].usage, body.usage);
  }
  {
    const { app, clock, events, event, open } = gatedApp({
      deployments: [{ name: "t4o", model: "gpt-4o-transcribe" }],
    });
    const form = new FormData();
    const wav = wavFile(new Uint8Array(24_000 * 2 * 2)); // 2 s of silence
    form.append("file", new File([wav], "a.wav", { type: "audio/wav" }));
    form.append("stream", "true");
    const res = await app.call(azurePath("t4o", "audio/transcriptions"), {
      method: "POST",
      body: form,
    });
    assert.equal(res.status, 200);
    clock.t = 9;
    const reader = res.body!.getReader();
    const first = reader.read();
    await open();
    await first;
    clock.t = 40;
    await drain(reader, open);
    await event;
    assert.equal(events[0].firstByteMs, 9);
    assert.equal(events[0].durationMs, 40);
    assert.ok(events[0].usage!.total_tokens > 0);
  }
  {
    const { app, clock, events, event } = gatedApp();
    const input = Array.from({ length: 360 }, (_, i) => `input ${i}`);
    const res = await app.call(EMBED, { json: { input, encoding_format: "float" } });
    clock.t = 3;
    const text = await res.text();
    assert.ok(text.length > 10_000_000);
    await event;
    assert.equal(events[0].firstByteMs, 3);
    assert.deepEqual(events[0].usage, JSON.parse(text).usage);
  }
});
