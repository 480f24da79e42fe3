// A stream split with tee() and dropped unread kept its listener on the caller's long-lived signal
// (and with it the call's controller, fetch and both branches) until that signal aborted: the
// branches watched the shared controller holding themselves strongly, and the caller's signal
// reaches that controller. Once both branches are collected, the listener goes and the call is
// aborted (its body cancelled); a branch read to its end while the other was dropped reads whole.
//
// GC must be forced: a script run with --expose-gc makes the calls (over real fetch, to a server
// on 127.0.0.1) and reports the listeners left on the signals, the bodies the server saw
// cancelled and what the kept branch read.
import assert from "node:assert/strict";
import { runWithGc } from "../helpers/gc_script.ts";

const CALLS = 50;

const SCRIPT = (root: URL) => `
import { AzureOpenAI } from "${new URL("mod.ts", root).href}";

const CALLS = ${CALLS};
const N = 6;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const encoder = new TextEncoder();
const CHUNK = 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",' +
  '"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}\\n\\n';
let hang = true;
let cancelled = 0;
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
  let i = 0;
  // With hang, one chunk then nothing (only a cancel ends it); else N chunks and [DONE].
  const body = new ReadableStream({
    async pull(c) {
      if (hang && i == 1) return new Promise(() => {});
      await sleep(2);
      c.enqueue(encoder.encode(i++ < N ? CHUNK : "data: [DONE]\\n\\n"));
      if (i > N) c.close();
    },
    cancel: () => void cancelled++,
  }, { highWaterMark: 0 });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
});
const endpoint = "http://127.0.0.1:" + server.addr.port;
const options = { endpoint, apiKey: "sk-tee-dropped", deployment: "gpt-4o", maxRetries: 0 };
const clients = [
  new AzureOpenAI(options),
  new AzureOpenAI({ ...options, streamIdleTimeoutMs: 60_000 }),
];
const messages = [{ role: "user", content: "hi" }];
const chat = (c, signal) => c.chat.completions.create({ messages, stream: true }, { signal });

/** A long-lived signal whose abort listeners are counted (added and not yet removed). */
function countedSignal() {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Set();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (type, fn, opts) => {
    if (type === "abort") live.add(fn);
    add(type, fn, opts);
  };
  signal.removeEventListener = (type, fn, opts) => {
    if (type === "abort") live.delete(fn);
    remove(type, fn, opts);
  };
  return { controller, signal, live };
}

async function collect(until = () => false) {
  for (let round = 0; round < 20 && !until(); round++) gc(), await sleep(20);
}

const both = countedSignal();
// In a function of its own: no variable of this scope holds the last stream or branch.
async function dropBoth() {
  for (let i = 0; i < CALLS; i++) (await chat(clients[i % 2], both.signal)).tee();
}
await dropBoth();
await collect(() => !both.live.size && cancelled >= CALLS);
const report = { bothDropped: { listeners: both.live.size, cancelled }, oneRead: { collected: 0 } };

hang = false;
cancelled = 0;
const one = countedSignal();
// The dropped branches collected while their sibling was read.
let collected = 0;
const registry = new FinalizationRegistry(() => collected++);
function split(stream, kept) {
  const branches = stream.tee();
  registry.register(branches[1 - kept], 0);
  return branches[kept];
}
for (const [i, client] of clients.entries()) {
  for (const kept of [0, 1]) {
    // The other branch is dropped at once; the kept one is read with gc() before every read.
    const branch = split(await chat(client, one.signal), kept);
    let text = "";
    try {
      for await (const chunk of branch) {
        gc();
        await sleep(1);
        text += chunk.choices[0].delta.content;
      }
      text += "+end" + (collected > report.oneRead.collected ? " (other collected)" : "");
    } catch (err) {
      text += ": " + err.name;
    }
    report.oneRead["client" + i + "branch" + kept] = text;
    report.oneRead.collected = collected;
  }
}
await collect(() => !one.live.size);
report.oneRead.listeners = one.live.size;
report.oneRead.cancelled = cancelled;
console.log(JSON.stringify(report));
both.controller.abort();
one.controller.abort();
await server.shutdown();
`;

Deno.test("a stream split with tee() and dropped unread leaves no listener on a long-lived signal once collected, and is cancelled; a branch read while the other was dropped reads whole", async () => {
  const report = await runWithGc<{
    bothDropped: { listeners: number; cancelled: number };
    oneRead: Record<string, string | number>;
  }>(SCRIPT(new URL("../../", import.meta.url)));
  assert.deepEqual(report.bothDropped, { listeners: 0, cancelled: CALLS });
  assert.deepEqual(report.oneRead, {
    client0branch0: "xxxxxx+end (other collected)",
    client0branch1: "xxxxxx+end (other collected)",
    client1branch0: "xxxxxx+end (other collected)",
    client1branch1: "xxxxxx+end (other collected)",
    collected: 4,
    listeners: 0,
    cancelled: 0,
  });
});
