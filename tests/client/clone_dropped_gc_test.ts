// A raw stream response (request({ stream: true }), audio.speech.create()) under the caller's
// signal is watched until collected: once it is, its call is aborted (DROPPED). A clone() of it
// kept, the original dropped, the clone went on reading: collecting the original aborted the
// call, and a fetch that errors the body at its signal's abort (Node's, Bun's, workerd's) cut the
// clone with an AbortError. The clone now keeps the original; once both go, the call is aborted.
//
// GC must be forced: a script run with --expose-gc makes the calls over an in-memory fetch whose
// bodies send a chunk when asked and error at their signal's abort, as Node's fetch does.
import assert from "node:assert/strict";
import { runWithGc } from "../helpers/gc_script.ts";

const SCRIPT = (root: URL) => `
import { AzureOpenAI } from "${new URL("mod.ts", root).href}";

const encoder = new TextEncoder();
const CHUNK = 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",' +
  '"choices":[]}\\n\\n';
const fetched = [];
const fetch = (_request, init) => {
  const signal = init?.signal;
  const call = { signal };
  fetched.push(call);
  const body = new ReadableStream({
    start(c) {
      c.enqueue(encoder.encode(CHUNK));
      signal?.addEventListener("abort", () => c.error(signal.reason), { once: true });
    },
    // Each read past the first waits until the script sends the next chunk.
    pull: (c) =>
      new Promise((resolve) => {
        call.send = () => {
          if (!signal?.aborted) c.enqueue(encoder.encode(CHUNK));
          resolve();
        };
      }),
  }, { highWaterMark: 0 });
  return Promise.resolve(new Response(body, { headers: { "content-type": "text/event-stream" } }));
};
const options = { endpoint: "http://x.test", apiKey: "sk-clone-dropped", deployment: "gpt-4o", maxRetries: 0, fetch };
const clients = [new AzureOpenAI(options), new AzureOpenAI({ ...options, streamIdleTimeoutMs: 60_000 })];
const KINDS = {
  rawStream: (c, signal) =>
    c.request({ path: "chat/completions", deployment: "gpt-4o", json: {}, stream: true }, { signal }),
  speech: (c, signal) =>
    c.audio.speech.create({ model: "tts", input: "hi", voice: "alloy" }, { signal }),
};
const signal = new AbortController().signal;
const collect = async () => {
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
// In a function of its own: no variable of this scope holds the original.
const cloneOf = async (call, client) => (await call(client, signal)).clone();
const report = {};
for (const [kind, call] of Object.entries(KINDS)) {
  for (const [i, client] of clients.entries()) {
    let reader = (await cloneOf(call, client)).body.getReader();
    const fetch = fetched.at(-1);
    const reads = [(await reader.read()).value?.length > 0];
    await collect();
    fetch.send?.();
    try {
      reads.push((await reader.read()).value?.length > 0);
    } catch (err) {
      reads.push(String(err));
    }
    // The clone dropped too: the call is aborted once both are collected.
    reader = undefined;
    await collect();
    report[kind + (i ? " (streamIdleTimeoutMs)" : "")] = { reads, abortedAtEnd: fetch.signal.aborted };
  }
}
console.log(JSON.stringify(report));
`;

Deno.test("a clone() of a raw stream response reads on once the original is dropped and collected; the call is aborted once both are", async () => {
  const report = await runWithGc<Record<string, { reads: unknown[]; abortedAtEnd: boolean }>>(
    SCRIPT(new URL("../../", import.meta.url)),
  );
  const whole = { reads: [true, true], abortedAtEnd: true };
  assert.deepEqual(report, {
    rawStream: whole,
    "rawStream (streamIdleTimeoutMs)": whole,
    speech: whole,
    "speech (streamIdleTimeoutMs)": whole,
  });
});
