/**
 * `audio.transcriptions.create({ stream: true })`: a `Stream` of transcript events, as the openai
 * SDK returns (resources/audio/transcriptions.d.ts: `APIPromise<Stream<TranscriptionStreamEvent>>`
 * for `stream: true`; the form field `stream=true`). The service names each event
 * (`event: transcript.text.delta`, as the openai SDKs' stream readers expect: they pass on events
 * named `transcript.*`) and ends the body after `transcript.text.done`, with no `[DONE]`.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../client.ts";
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  BadRequestError,
} from "../errors/api_error.ts";
import { Stream } from "../streaming/stream.ts";
import type {
  Transcription,
  TranscriptionStreamEvent,
  TranscriptionTextDoneEvent,
} from "../types/audio.ts";

const KEY = "sk-audio-stream-key-123456";
const encoder = new TextEncoder();

const DELTAS = ["Hello", " there,", " world."];
const USAGE = {
  type: "tokens",
  input_tokens: 14,
  input_token_details: { text_tokens: 0, audio_tokens: 14 },
  output_tokens: 4,
  total_tokens: 18,
} as const;
const EVENTS: TranscriptionStreamEvent[] = [
  ...DELTAS.map((delta) => ({ type: "transcript.text.delta" as const, delta })),
  { type: "transcript.text.done", text: DELTAS.join(""), usage: USAGE },
];

/** The events as the service sends them: named, no `[DONE]`. */
function named(events: unknown[] = EVENTS): string {
  return events.map((e) => `event: ${(e as { type: string }).type}\ndata: ${JSON.stringify(e)}\n\n`)
    .join("");
}

function sse(body: BodyInit): Response {
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

/** A client whose fetch records each request and answers with `answer()`. */
function recording(answer: () => Response, streamIdleTimeoutMs?: number) {
  const seen: Request[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: KEY,
    apiVersion: "2025-03-01-preview",
    streamIdleTimeoutMs,
    fetch: (input, init) => {
      seen.push(new Request(input, init));
      return Promise.resolve(answer());
    },
  });
  return { client, seen };
}

const file = () => new File([new Uint8Array(16)], "a.wav", { type: "audio/wav" });

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

Deno.test("transcriptions.create({ stream: true }) yields the named events and ends after transcript.text.done without [DONE]", async () => {
  const { client, seen } = recording(() => sse(named()));
  const stream = await client.audio.transcriptions.create({
    model: "gpt-4o-transcribe",
    file: file(),
    stream: true,
  });
  assert.ok(stream instanceof Stream);
  assert.equal(stream.response.status, 200);
  const events = await collect(stream);
  assert.deepEqual(events, EVENTS);
  let text = "";
  for (const e of events) if (e.type === "transcript.text.delta") text += e.delta;
  assert.equal(text, (events.at(-1) as TranscriptionTextDoneEvent).text);
  // The request: the form field stream=true, and an event stream asked for.
  const request = seen[0];
  assert.equal(request.headers.get("accept"), "text/event-stream");
  const form = await request.formData();
  assert.equal(form.get("stream"), "true");
  assert.match(request.url, /\/deployments\/gpt-4o-transcribe\/audio\/transcriptions\?/);
});

Deno.test("a transcription stream of unnamed events that ends with [DONE] reads the same", async () => {
  const body = EVENTS.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("") + "data: [DONE]\n\n";
  const { client } = recording(() => sse(body));
  const stream = await client.audio.transcriptions.create({
    file: file(),
    model: "t",
    stream: true,
  });
  assert.deepEqual(await collect(stream), EVENTS);
});

Deno.test("a transcription stream cut before transcript.text.done throws APIConnectionError", async () => {
  const { client } = recording(() => sse(named(EVENTS.slice(0, 2))));
  const stream = await client.audio.transcriptions.create({
    file: file(),
    model: "t",
    stream: true,
  });
  const seen: unknown[] = [];
  await assert.rejects(
    (async () => {
      for await (const e of stream) seen.push(e);
    })(),
    (err) => err instanceof APIConnectionError && /audio\.transcriptions\.create/.test(err.message),
  );
  assert.deepEqual(seen, EVENTS.slice(0, 2));
});

Deno.test("a transcription stream: toReadableStream() re-emits the events, which a Stream reads back", async () => {
  const { client } = recording(() => sse(named()));
  const stream = await client.audio.transcriptions.create({
    file: file(),
    model: "t",
    stream: true,
  });
  const relayed = new Response(stream.toReadableStream());
  const again = new Stream<TranscriptionStreamEvent>(relayed);
  assert.deepEqual(await collect(again), EVENTS);
});

Deno.test("a transcription stream: the caller's signal aborts it with APIUserAbortError", async () => {
  const controller = new AbortController();
  let cancelled = false;
  const { client } = recording(() =>
    sse(
      new ReadableStream({
        start(c) {
          c.enqueue(encoder.encode(named(EVENTS.slice(0, 1))));
        },
        cancel() {
          cancelled = true;
        },
      }),
    )
  );
  const stream = await client.audio.transcriptions.create(
    { file: file(), model: "t", stream: true },
    { signal: controller.signal },
  );
  const it = stream[Symbol.asyncIterator]();
  assert.deepEqual((await it.next()).value, EVENTS[0]);
  controller.abort();
  await assert.rejects(it.next(), APIUserAbortError);
  assert.ok(cancelled);
});

Deno.test("a transcription stream: streamIdleTimeoutMs ends a stalled stream with APITimeoutError", async () => {
  const { client } = recording(() =>
    sse(new ReadableStream({ pull: () => new Promise(() => {}) }))
  );
  const stream = await client.audio.transcriptions.create(
    { file: file(), model: "t", stream: true },
    { streamIdleTimeoutMs: 5 },
  );
  await assert.rejects(
    collect(stream),
    (err) => err instanceof APITimeoutError && /idleTimeoutMs/.test(err.message),
  );
});

Deno.test("a transcription stream: the service's 400 (a Whisper deployment) is thrown by the call", async () => {
  const { client } = recording(() =>
    Response.json({
      error: {
        message: "Streaming is not supported for this model.",
        type: "invalid_request_error",
        param: "stream",
        code: "unsupported_value",
      },
    }, { status: 400 })
  );
  await assert.rejects(
    client.audio.transcriptions.create({ file: file(), model: "whisper", stream: true }),
    (err) => err instanceof BadRequestError && err.param === "stream",
  );
});

Deno.test("translations.create() refuses stream: true with a TypeError before any request, naming what streams", async () => {
  const { client, seen } = recording(() => Response.json({ text: "hi" }));
  await assert.rejects(
    // @ts-expect-error: translations do not stream
    client.audio.translations.create({ file: file(), model: "whisper", stream: true }),
    (err) =>
      err instanceof TypeError &&
      err.message ===
        "audio.translations.create: params.stream is not supported: translations do not " +
          "stream; transcriptions do (gpt-4o-transcribe models)",
  );
  assert.equal(seen.length, 0);
});

Deno.test("transcriptions.create() without stream still resolves to the reply, usage included", async () => {
  const reply = { text: "Hi.", usage: USAGE };
  const { client, seen } = recording(() => Response.json(reply));
  const result: Transcription = await client.audio.transcriptions.create({
    file: file(),
    model: "t",
  });
  assert.deepEqual(result, reply);
  assert.equal(seen[0].headers.get("accept"), "application/json");
  const plain: Transcription = await client.audio.transcriptions.create({
    file: file(),
    model: "t",
    stream: false,
  });
  assert.deepEqual(plain, reply);
});

// Compile-time: `stream: true` gives the stream type, its absence the reply types.
async function _types(client: AzureOpenAI): Promise<void> {
  const s: Stream<TranscriptionStreamEvent> = await client.audio.transcriptions.create({
    file: file(),
    stream: true,
  });
  const t: Transcription = await client.audio.transcriptions.create({ file: file() });
  const text: string = await client.audio.transcriptions.create({
    file: file(),
    response_format: "text",
  });
  // @ts-expect-error: a stream is no Transcription
  const wrong: Transcription = await client.audio.transcriptions.create({
    file: file(),
    stream: true,
  });
  void [s, t, text, wrong];
}
void _types;
