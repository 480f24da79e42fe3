// Runtime matrix, second part: streamed transcription, stream.tee() and the toReadableStream() /
// fromReadableStream() round trip with the bundled core, and multipart uploads parsed as they
// stream into the bundled edge app (edge/body_limit.ts readFormLimited). Runs the same on Deno,
// Node, Bun and workerd against an emulator that has the deployments in EMULATOR_DEPLOYMENTS
// (besides its defaults); each scenario throws on failure. No node: imports here.

import { runAll, wavBytes } from "./scenarios.mjs";

const API_VERSION = "2025-03-01-preview";
const CLIENT_KEY = "runtime-client-key";
const TRANSCRIBE = "gpt-4o-transcribe";
/** The edge app's maxMultipartBytes in these scenarios. */
const LIMIT = 256 * 1024;
const CHUNK = 16 * 1024;

/** Deployments the emulator needs on top of its DEFAULT_DEPLOYMENTS. */
export const EMULATOR_DEPLOYMENTS = [{ name: TRANSCRIBE, model: TRANSCRIBE }];

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const chatParams = {
  model: "gpt-4o",
  messages: [{ role: "user", content: "tee me twice" }],
};

const wavFile = (seconds, name) =>
  new File([wavBytes(seconds)], name, {
    type: "audio/wav",
  });

/** The wire bytes and content-type of a form holding `file` (and `fields`). */
async function encodeForm(file, fields) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set("file", file);
  const encoded = new Response(form);
  const contentType = encoded.headers.get("content-type");
  return { contentType, wire: new Uint8Array(await encoded.arrayBuffer()) };
}

/**
 * A body that hands out `wire` in CHUNK-sized pieces as it is pulled (as a socket does, with no
 * content-length known up front), and records how much was pulled and whether it was cancelled.
 */
function chunked(wire) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream({
    pull(controller) {
      if (seen.pulled >= wire.length) return controller.close();
      const piece = wire.slice(seen.pulled, seen.pulled + CHUNK);
      seen.pulled += piece.length;
      controller.enqueue(piece);
    },
    cancel() {
      seen.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { body, seen };
}

const contents = (chunks) => chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");

/** Every event of a streamed transcription of `file` on `client`. */
async function transcribeEvents(client, file) {
  const stream = await client.audio.transcriptions.create({
    model: TRANSCRIBE,
    file,
    stream: true,
  });
  check(stream.response instanceof Response, "stream.response is not a Response");
  const type = stream.response.headers.get("content-type") ?? "";
  check(type.startsWith("text/event-stream"), `content-type ${type}`);
  const events = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** Deltas in order, then one transcript.text.done whose text they make; returns that text. */
function checkTranscriptEvents(events) {
  check(events.length >= 3, `only ${events.length} events`);
  const done = events.at(-1);
  check(done.type === "transcript.text.done", `last event is ${done.type}`);
  const deltas = events.slice(0, -1);
  const stray = deltas.find((e) => e.type !== "transcript.text.delta");
  check(!stray, `event before the end: ${stray?.type}`);
  const joined = deltas.map((e) => e.delta).join("");
  check(joined === done.text, `deltas make "${joined}", done has "${done.text}"`);
  check(done.usage?.type === "tokens", `usage ${JSON.stringify(done.usage)}`);
  return done.text;
}

const SCENARIOS = [
  [
    "audio.transcriptions.create({ stream: true }): deltas in order, then transcript.text.done " +
    "with the non-streamed text",
    async ({ client }) => {
      const file = wavFile(1, "streamed.wav");
      const plain = await client().audio.transcriptions.create({ model: TRANSCRIBE, file });
      const events = await transcribeEvents(client(), file);
      const text = checkTranscriptEvents(events);
      check(text === plain.text, `streamed "${text}" but plain "${plain.text}"`);
      check(
        JSON.stringify(events.at(-1).usage) === JSON.stringify(plain.usage),
        "usage differs",
      );
    },
  ],
  [
    "a streamed transcription's tee(): one branch iterated, the other relayed through " +
    "toReadableStream() and Stream.fromReadableStream(), same events",
    async ({ client, core }) => {
      const stream = await client().audio.transcriptions.create({
        model: TRANSCRIBE,
        file: wavFile(1, "tee.wav"),
        stream: true,
      });
      const [kept, relayed] = stream.tee();
      const body = new Response(relayed.toReadableStream()).body;
      const rebuilt = core.Stream.fromReadableStream(body);
      const read = async (s) => {
        const out = [];
        for await (const event of s) out.push(event);
        return out;
      };
      const [a, b] = await Promise.all([read(kept), read(rebuilt)]);
      checkTranscriptEvents(a);
      check(JSON.stringify(a) === JSON.stringify(b), "the relayed events differ");
    },
  ],
  [
    "chat stream.tee(): both branches get every chunk at their own pace",
    async ({ client }) => {
      const plain = await client().chat.completions.create(chatParams);
      const stream = await client().chat.completions.create({ ...chatParams, stream: true });
      const [left, right] = stream.tee();
      const chunks = [];
      const [, final] = await Promise.all([
        (async () => {
          for await (const chunk of left) chunks.push(chunk);
        })(),
        right.finalChatCompletion(),
      ]);
      const want = plain.choices[0].message.content;
      check(chunks.length >= 3, `only ${chunks.length} chunks`);
      check(contents(chunks) === want, `left branch "${contents(chunks)}"`);
      check(final.choices[0].message.content === want, "right branch's final message differs");
      check(final.id === chunks[0].id, "the branches saw different completions");
    },
  ],
  [
    "ChatCompletionStream.fromReadableStream(stream.toReadableStream()) gives back the same " +
    "chunks and final completion",
    async ({ client, core }) => {
      const stream = await client().chat.completions.create({ ...chatParams, stream: true });
      const [direct, relayed] = stream.tee();
      // As a server relays it: the body of a Response, read on the other side.
      const body = new Response(relayed.toReadableStream(), {
        headers: { "content-type": "text/event-stream" },
      }).body;
      const rebuilt = core.ChatCompletionStream.fromReadableStream(body);
      check(rebuilt instanceof core.ChatCompletionStream, "not a ChatCompletionStream");
      const want = [];
      const got = [];
      await Promise.all([
        (async () => {
          for await (const chunk of direct) want.push(chunk);
        })(),
        (async () => {
          for await (const chunk of rebuilt) got.push(chunk);
        })(),
      ]);
      check(want.length >= 3, `only ${want.length} chunks`);
      check(JSON.stringify(got) === JSON.stringify(want), "the rebuilt chunks differ");
      const final = await rebuilt.finalChatCompletion();
      check(final.choices[0].message.content === contents(want), "final completion differs");
    },
  ],
  [
    "edge app: a multipart upload streamed in without content-length passes, bytes intact",
    async ({ edgeFetch, upstreamCalls }) => {
      const file = wavFile(2, "upload.wav");
      const { contentType, wire } = await encodeForm(file, { model: "whisper" });
      check(wire.length < LIMIT, `the test upload (${wire.length} B) is over the limit`);
      const { body, seen } = chunked(wire);
      const before = upstreamCalls();
      const res = await edgeFetch(
        "/openai/deployments/whisper/audio/transcriptions",
        { "content-type": contentType },
        body,
      );
      const text = await res.text();
      check(res.status === 200, `status ${res.status}: ${text}`);
      check(seen.pulled === wire.length, `the app read ${seen.pulled} of ${wire.length} bytes`);
      check(upstreamCalls() === before + 1, "not sent upstream once");
      // The emulator names the file and its size as it received them.
      const heard = JSON.parse(text).text;
      check(heard.includes(`upload.wav, ${file.size} bytes`), `transcript: ${heard}`);
    },
  ],
  [
    "edge app: a streamed gpt-4o-transcribe upload comes back through it as the same events",
    async ({ client, edgeClient }) => {
      const file = wavFile(1, "via-edge.wav");
      const direct = await transcribeEvents(client(), file);
      const relayed = await transcribeEvents(edgeClient(), file);
      checkTranscriptEvents(relayed);
      check(JSON.stringify(relayed) === JSON.stringify(direct), "events through the app differ");
    },
  ],
  [
    "edge app: an upload over maxMultipartBytes without content-length gets 413 " +
    "request_too_large, read no further than the limit, nothing sent upstream",
    async ({ edgeFetch, upstreamCalls }) => {
      const { contentType, wire } = await encodeForm(
        new File([new Uint8Array(4 * LIMIT)], "big.wav", { type: "audio/wav" }),
        { model: "whisper" },
      );
      const { body, seen } = chunked(wire);
      const before = upstreamCalls();
      const res = await edgeFetch(
        "/openai/deployments/whisper/audio/transcriptions",
        { "content-type": contentType },
        body,
      );
      const text = await res.text();
      check(res.status === 413, `status ${res.status}: ${text.slice(0, 200)}`);
      const error = JSON.parse(text).error;
      check(error?.code === "request_too_large", `error ${JSON.stringify(error)}`);
      check(upstreamCalls() === before, "sent upstream");
      // Parsed as it streamed: the app stopped pulling soon after the limit (a few chunks of
      // read-ahead at most), not at the end of the 1 MiB body.
      check(seen.pulled < 2 * LIMIT, `pulled ${seen.pulled} of ${wire.length} bytes`);
    },
  ],
  [
    "edge app: an upload whose content-length is over maxMultipartBytes gets 413 unread",
    async ({ edgeFetch, upstreamCalls }) => {
      const { contentType, wire } = await encodeForm(
        new File([new Uint8Array(2 * LIMIT)], "declared.wav", { type: "audio/wav" }),
        { model: "whisper" },
      );
      const { body, seen } = chunked(wire);
      const before = upstreamCalls();
      const res = await edgeFetch(
        "/openai/deployments/whisper/audio/transcriptions",
        { "content-type": contentType, "content-length": String(wire.length) },
        body,
      );
      const text = await res.text();
      check(res.status === 413, `status ${res.status}: ${text.slice(0, 200)}`);
      check(JSON.parse(text).error?.code === "request_too_large", text.slice(0, 200));
      check(upstreamCalls() === before, "sent upstream");
      check(seen.pulled < 2 * CHUNK, `pulled ${seen.pulled} bytes of a refused body`);
    },
  ],
];

/** Names of the scenarios, in the order {@link runStreamUploadScenarios} reports them. */
export const STREAM_UPLOAD_SCENARIO_NAMES = SCENARIOS.map(([name]) => name);

/**
 * The edge app these scenarios call: `endpoint`/`apiKey` address the emulator, every upstream
 * call is counted (`upstreamCalls()`), and uploads are capped at LIMIT bytes.
 */
export function createUploadApp({ edge, endpoint, apiKey }) {
  let calls = 0;
  const app = edge.createEdgeApp({
    upstream: {
      endpoint,
      apiKey,
      apiVersion: API_VERSION,
      fetch: (input, init) => {
        calls++;
        return fetch(input, init);
      },
    },
    clientKeys: [CLIENT_KEY],
    maxMultipartBytes: LIMIT,
    playground: false,
  });
  return { app, upstreamCalls: () => calls };
}

/**
 * Runs every scenario; never throws. Resolves to one `{ name, ok, error? }` per scenario.
 * `core` and `edge` are the bundled modules; `endpoint`/`apiKey` address an emulator that has
 * EMULATOR_DEPLOYMENTS. The edge app is called in this process (`app.fetch(request)`).
 */
export async function runStreamUploadScenarios({ core, edge, endpoint, apiKey }) {
  const client = () =>
    new core.AzureOpenAI({ endpoint, apiKey, apiVersion: API_VERSION, maxRetries: 0 });
  const { app, upstreamCalls } = createUploadApp({ edge, endpoint, apiKey });
  const pending = [];
  const ctx = { waitUntil: (p) => pending.push(p) };
  const edgeFetch = (path, headers, body) =>
    app.fetch(
      new Request(`http://edge.test${path}?api-version=${API_VERSION}`, {
        method: "POST",
        headers: { "api-key": CLIENT_KEY, ...headers },
        body,
        duplex: "half",
      }),
      {},
      ctx,
    );
  // The core client with the edge app as its endpoint, called in this process.
  const edgeClient = () =>
    new core.AzureOpenAI({
      endpoint: "http://edge.test",
      apiKey: CLIENT_KEY,
      apiVersion: API_VERSION,
      maxRetries: 0,
      fetch: (input, init) => app.fetch(new Request(input, init), {}, ctx),
    });
  const env = { core, edge, client, edgeClient, edgeFetch, upstreamCalls };
  const results = await runAll(SCENARIOS, env);
  await Promise.all(pending);
  return results;
}

// Over the wire, an upload over the limit is not checked: the app answers 413 before the client
// has sent it all, and Node's server and workerd then close the connection on the unread rest,
// which the client often sees as ECONNRESET instead of the 413 (compat/bench/early_413_wire.mjs).
const WIRE_SCENARIOS = [
  [
    "edge app served over HTTP: a chunked multipart upload passes, bytes intact",
    async ({ post }) => {
      const file = wavFile(2, "wire.wav");
      const { contentType, wire } = await encodeForm(file, { model: "whisper" });
      const res = await post(
        "/openai/deployments/whisper/audio/transcriptions",
        { "content-type": contentType },
        chunked(wire).body,
      );
      const text = await res.text();
      check(res.status === 200, `status ${res.status}: ${text}`);
      const heard = JSON.parse(text).text;
      check(heard.includes(`wire.wav, ${file.size} bytes`), `transcript: ${heard}`);
    },
  ],
];

/** Names of the over-the-wire checks, in the order {@link runWireScenarios} reports them. */
export const WIRE_SCENARIO_NAMES = WIRE_SCENARIOS.map(([name]) => name);

/**
 * Uploads to an app of {@link createUploadApp} that the runtime under test serves over HTTP (its
 * request bodies are then the runtime's own streams); never throws. `url` is where it listens;
 * `send` is the client's fetch (default: this runtime's).
 */
export function runWireScenarios({ url, send = fetch }) {
  const post = (path, headers, body) =>
    send(`${url}${path}?api-version=${API_VERSION}`, {
      method: "POST",
      headers: { "api-key": CLIENT_KEY, ...headers },
      body,
      duplex: "half",
    });
  return runAll(WIRE_SCENARIOS, { post });
}
