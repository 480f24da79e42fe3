/**
 * logger()'s `done` event through the real client and the emulator: the time to the body's last
 * byte, a stream's time to its first chunk, and the usage read off the body's end (JSON replies,
 * streams with and without include_usage, streamed transcriptions, a cancel, a 10 MB body).
 * Clocks are injected: the emulator's chunk delay advances the logger's clock.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator, type EmulatorOptions } from "../../src/emulator/mod.ts";
import { wavFile } from "../../src/emulator/speech.ts";
import { type LogEvent, logger } from "../../src/middleware/logger.ts";

const DELAY = 10;

/** A client on a fresh emulator whose every chunk delay moves the logger's clock by `DELAY`. */
function setup(options: EmulatorOptions = {}) {
  const clock = { t: 0 };
  const emulator = createEmulator({
    chunkDelayMs: DELAY,
    sleep: (ms) => (clock.t += ms, Promise.resolve()),
    ...options,
  });
  const events: LogEvent[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: emulator.fetch,
    middleware: [logger({ onEvent: (e) => events.push(e), now: () => clock.t })],
  });
  const done = () => {
    const found = events.filter((e) => e.type === "done");
    assert.equal(found.length, 1, `one done event in ${events.map((e) => e.type)}`);
    return found[0];
  };
  return { clock, emulator, events, client, done };
}

/** The counts a `usage` object reports, as `done` gives them. */
function counts(usage: Record<string, unknown>) {
  const { prompt_tokens, completion_tokens, total_tokens } = usage as Record<string, number>;
  return completion_tokens === undefined
    ? { prompt_tokens, total_tokens }
    : { prompt_tokens, completion_tokens, total_tokens };
}

Deno.test("logger() done: a JSON chat reply gives its usage, after end, with no first chunk", async () => {
  const { client, events, done } = setup();
  const reply = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "one two three" }],
  });
  assert.deepEqual(events.map((e) => e.type), ["start", "end", "done"]);
  const event = done();
  assert.deepEqual(event.usage, counts(reply.usage as unknown as Record<string, unknown>));
  assert.ok(event.usage!.completion_tokens! > 0);
  assert.equal(event.status, 200);
  assert.equal(event.operation, "chat.completions.create");
  assert.equal(event.firstChunkMs, undefined);
  assert.equal(event.cancelled, undefined);
  assert.equal(event.requestId, events[1].requestId);
});

Deno.test("logger() done: an embeddings reply gives prompt and total tokens", async () => {
  const { client, done } = setup();
  const reply = await client.embeddings.create({
    model: "text-embedding-3-small",
    input: ["alpha beta", "gamma"],
  });
  assert.deepEqual(done().usage, {
    prompt_tokens: reply.usage.prompt_tokens,
    total_tokens: reply.usage.total_tokens,
  });
  assert.ok(reply.usage.prompt_tokens > 0);
});

Deno.test("logger() done: a streamed chat with include_usage gives the usage chunk's counts and its time to first chunk", async () => {
  const { client, clock, events, done } = setup();
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "one two three four five" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let usage: Record<string, unknown> | undefined;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.usage) usage = chunk.usage as unknown as Record<string, unknown>;
  }
  assert.ok(usage, "the stream carried a usage chunk");
  assert.ok(chunks > 3);
  const event = done();
  assert.deepEqual(event.usage, counts(usage));
  assert.equal(event.stream, true);
  // Each chunk waited DELAY ms on the clock: the first came after one wait at least, the body
  // ended when the clock stopped.
  const end = events[1];
  assert.equal(end.type, "end");
  assert.ok(event.firstChunkMs! >= DELAY, `firstChunkMs ${event.firstChunkMs}`);
  assert.ok(event.firstChunkMs! >= end.durationMs!);
  assert.ok(event.firstChunkMs! < event.durationMs!);
  assert.equal(event.durationMs, clock.t);
  assert.ok(clock.t >= chunks * DELAY);
});

Deno.test("logger() done: a stream without usage gives no usage but its time to first chunk", async () => {
  const { client, clock, done } = setup();
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "one two three" }],
    stream: true,
  });
  for await (const chunk of stream) assert.equal(chunk.usage ?? undefined, undefined);
  const event = done();
  assert.equal(event.usage, undefined);
  assert.ok(event.firstChunkMs! >= DELAY);
  assert.equal(event.durationMs, clock.t);
});

Deno.test("logger() done: a streamed gpt-4o-transcribe gives input and output tokens as prompt and completion", async () => {
  const { client, done } = setup({
    deployments: [{ name: "t4o", model: "gpt-4o-transcribe" }],
  });
  const file = new File([wavFile(new Uint8Array(24_000 * 2 * 2))], "hello.wav", {
    type: "audio/wav",
  });
  const stream = await client.audio.transcriptions.create({ model: "t4o", file, stream: true });
  let usage: { input_tokens: number; output_tokens: number; total_tokens: number } | undefined;
  for await (const event of stream) {
    if (event.type === "transcript.text.done") usage = event.usage;
  }
  assert.ok(usage && usage.input_tokens > 0 && usage.output_tokens > 0, JSON.stringify(usage));
  const event = done();
  assert.deepEqual(event.usage, {
    prompt_tokens: usage!.input_tokens,
    completion_tokens: usage!.output_tokens,
    total_tokens: usage!.total_tokens,
  });
  assert.ok(event.firstChunkMs! >= DELAY);
});

Deno.test("logger() done: a stream cancelled midway is done with cancelled: true and no usage", async () => {
  const { client, clock, emulator, done } = setup();
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "one two three four five six seven eight nine ten" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let seen = 0;
  for await (const _ of stream) if (++seen === 2) break;
  const event = done();
  assert.equal(event.cancelled, true);
  assert.equal(event.usage, undefined);
  assert.ok(event.firstChunkMs! >= DELAY);
  assert.equal(event.durationMs, clock.t);
  assert.equal(emulator.stats.streamsCompleted, 0, "the stream did not run to its end");
});

Deno.test("logger() done: a 10 MB JSON reply gives its usage, read through text() or body", async () => {
  // About 10 MB of float embeddings (each ~1536 numbers as JSON), usage at the end.
  const { client, done, events } = setup();
  const input = Array.from({ length: 360 }, (_, i) => `input ${i}`);
  const reply = await client.embeddings.create({
    model: "text-embedding-3-small",
    input,
    encoding_format: "float",
  });
  assert.ok(JSON.stringify(reply).length > 10_000_000, "a 10 MB body");
  assert.deepEqual(done().usage, counts(reply.usage as unknown as Record<string, unknown>));
  events.length = 0;
  // The raw path, read chunk by chunk: only the tail is kept.
  const res = await client.request({
    path: "embeddings",
    deployment: "text-embedding-3-small",
    json: { input, encoding_format: "float" },
  });
  const reader = res.body!.getReader();
  let bytes = 0;
  let reads = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    bytes += next.value.length;
    reads++;
  }
  assert.ok(bytes > 10_000_000, `${bytes} bytes`);
  assert.deepEqual(done().usage, counts(reply.usage as unknown as Record<string, unknown>));
});
