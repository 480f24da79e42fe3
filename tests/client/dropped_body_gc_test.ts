// Found by bench/soak.ts (--only=streamUnread,asResponseUnread,speechUnread): a stream, an
// asResponse() body, a speech response or a raw stream response dropped unread kept its listener
// on the caller's signal, and with it the call's controller and fetch (the stream itself, too),
// until that signal aborted: a server's long-lived shutdown signal, so never. Once what the caller
// held is collected, the listener goes and the call is aborted (its body cancelled).
//
// GC must be forced: `deno test` has no `gc()`, so a script run with --expose-gc makes the calls
// (over real fetch, to a server on 127.0.0.1 whose bodies never end) and reports the listeners
// left on each kind's signal and the bodies the server saw cancelled.
import assert from "node:assert/strict";
import { runWithGc } from "../helpers/gc_script.ts";

const CALLS = 100;

const SCRIPT = (root: URL) => `
import { AzureOpenAI } from "${new URL("mod.ts", root).href}";

const CALLS = ${CALLS};
const CHUNK = 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",' +
  '"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}\\n\\n';
let cancelled = 0;
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
  const speech = req.url.includes("/audio/speech");
  // One chunk, then nothing: only a cancel ends it.
  const body = new ReadableStream({
    start: (c) => c.enqueue(new TextEncoder().encode(speech ? "ID3" : CHUNK)),
    pull: () => new Promise(() => {}),
    cancel: () => void cancelled++,
  });
  return new Response(body, {
    headers: { "content-type": speech ? "audio/mpeg" : "text/event-stream" },
  });
});
const endpoint = "http://127.0.0.1:" + server.addr.port;
const options = { endpoint, apiKey: "sk-dropped-body", deployment: "gpt-4o", maxRetries: 0 };
// With streamIdleTimeoutMs a handed-on body is a copy of the response: both kinds are dropped.
const clients = [
  new AzureOpenAI(options),
  new AzureOpenAI({ ...options, streamIdleTimeoutMs: 60_000 }),
];
const messages = [{ role: "user", content: "hi" }];
const KINDS = {
  chatStream: (c, signal) => c.chat.completions.create({ messages, stream: true }, { signal }),
  transcriptionStream: (c, signal) =>
    c.audio.transcriptions.create({
      model: "whisper",
      file: new File(["RIFF"], "a.wav"),
      stream: true,
    }, { signal }),
  asResponse: (c, signal) =>
    c.chat.completions.create({ messages, stream: true }, { signal }).asResponse(),
  speech: (c, signal) =>
    c.audio.speech.create({ model: "tts", input: "hi", voice: "alloy" }, { signal }),
  rawStream: (c, signal) =>
    c.request({ path: "chat/completions", deployment: "gpt-4o", json: {}, stream: true }, {
      signal,
    }),
};

/** A long-lived signal whose abort listeners are counted (added and not yet removed). */
function countedSignal() {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Set();
  const counted = { controller, signal, live, added: 0 };
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (type, fn, opts) => {
    if (type === "abort") live.add(fn), counted.added++;
    add(type, fn, opts);
  };
  signal.removeEventListener = (type, fn, opts) => {
    if (type === "abort") live.delete(fn);
    remove(type, fn, opts);
  };
  return counted;
}

const signals = {};
// In a function of its own: no variable of this scope holds the last result.
async function dropAll() {
  for (const [kind, call] of Object.entries(KINDS)) {
    const { signal } = signals[kind] = countedSignal();
    for (let i = 0; i < CALLS; i++) {
      if (!await call(clients[i % 2], signal)) throw new Error(kind + ": nothing returned");
    }
  }
}
await dropAll();
const total = CALLS * Object.keys(KINDS).length;
const left = () => Object.values(signals).reduce((n, { live }) => n + live.size, 0);
// A few rounds: finalizers run after a collection, cancels reach the server after a turn.
for (let round = 0; round < 20 && (left() || cancelled < total); round++) {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 20));
}
console.log(JSON.stringify({
  listeners: Object.fromEntries(Object.entries(signals).map(([k, { live }]) => [k, live.size])),
  // Each call put one on (at least): the signal was linked.
  linked: Object.values(signals).every(({ added }) => added >= CALLS),
  cancelled,
  total,
}));
// The shutdown: whatever is still linked lets go (the server waits for its bodies to end).
for (const { controller } of Object.values(signals)) controller.abort();
await server.shutdown();
`;

Deno.test("100 streams, asResponse() bodies, speech and raw stream responses dropped unread leave no listener on a long-lived signal once collected, and are cancelled", async () => {
  const report = await runWithGc<
    { listeners: Record<string, number>; linked: boolean; cancelled: number; total: number }
  >(SCRIPT(new URL("../../", import.meta.url)));
  assert.deepEqual(report.listeners, {
    chatStream: 0,
    transcriptionStream: 0,
    asResponse: 0,
    speech: 0,
    rawStream: 0,
  });
  assert.equal(report.linked, true);
  // Every body cancelled: its connection let go.
  assert.equal(report.cancelled, report.total);
});
