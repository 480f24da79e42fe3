// rateLimit() with maxConcurrent: a call's slot was held until its body ended, so a body dropped
// unread (`client.request()` never read, a stream never iterated nor cancelled) kept its slot for
// good: with maxConcurrent 1 the next call waited forever. Once the response is collected the
// slot is freed (and only once).
//
// GC must be forced: a script run with --expose-gc makes calls through one-slot clients (real
// fetch, a server on 127.0.0.1), drops each result unread, and collects until the next call gets
// the slot (a bounded number of rounds); it reports how many calls each kind got through.
import assert from "node:assert/strict";
import { runWithGc } from "../helpers/gc_script.ts";

const CALLS = 4;

const SCRIPT = (root: URL) => `
import { AzureOpenAI } from "${new URL("mod.ts", root).href}";
import { rateLimit } from "${new URL("src/middleware/mod.ts", root).href}";

const CALLS = ${CALLS};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const CHUNK = 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",' +
  '"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}\\n\\ndata: [DONE]\\n\\n';
// Whole bodies: the server is done with each; only the client side holds the slot.
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
  const stream = (await req.json()).stream === true;
  return stream
    ? new Response(CHUNK, { headers: { "content-type": "text/event-stream" } })
    : Response.json({ id: "x", object: "chat.completion", choices: [] });
});
const endpoint = "http://127.0.0.1:" + server.addr.port;
const messages = [{ role: "user", content: "hi" }];
const KINDS = {
  request: (c, signal) =>
    c.request({ path: "chat/completions", deployment: "gpt-4o", json: {} }, { signal }),
  stream: (c, signal) => c.chat.completions.create({ messages, stream: true }, { signal }),
  asResponse: (c, signal) =>
    c.chat.completions.create({ messages, stream: true }, { signal }).asResponse(),
};
// In a function of its own: nothing of this scope holds the result.
async function dropOne(call, client, signal) {
  if (!await call(client, signal)) throw new Error("nothing returned");
}
const report = {};
const longLived = new AbortController();
for (const [kind, call] of Object.entries(KINDS)) {
  for (const signal of [undefined, longLived.signal]) {
    const counter = { sent: 0 };
    const client = new AzureOpenAI({
      endpoint,
      apiKey: "sk-rate-limit-dropped",
      deployment: "gpt-4o",
      maxRetries: 0,
      fetch: (input, init) => (counter.sent++, fetch(input, init)),
      middleware: [rateLimit({ maxConcurrent: 1 })],
    });
    for (let i = 0; i < CALLS; i++) {
      const done = dropOne(call, client, signal);
      done.catch(() => {}); // a stuck one fails at the end, when the long-lived signal aborts
      for (let round = 0; round < 30 && counter.sent <= i; round++) {
        gc();
        await sleep(10);
      }
      if (counter.sent <= i) break; // stuck in the queue: the slot was never freed
      await done;
    }
    // Two more, held: a slot freed twice (or one of these collected) would let both start.
    const held = [];
    const before = counter.sent;
    for (let j = 0; j < 2; j++) call(client, signal).then((r) => held.push(r), () => {});
    // The last one dropped frees its slot once collected.
    for (let round = 0; round < 30 && counter.sent === before; round++) {
      gc();
      await sleep(10);
    }
    for (let round = 0; round < 3; round++) gc(), await sleep(10);
    report[kind + (signal ? "+signal" : "")] = { through: counter.sent, together: counter.sent - before };
    globalThis.held = (globalThis.held ?? []).concat(held);
  }
}
console.log(JSON.stringify(report));
longLived.abort();
await server.shutdown();
// The held calls still queued without a signal would end only at their timeoutMs (10 min).
Deno.exit(0);
`;

Deno.test("rateLimit() frees the slot of a response, stream or asResponse() body dropped unread once it is collected", async () => {
  const report = await runWithGc<Record<string, { through: number; together: number }>>(
    SCRIPT(new URL("../../", import.meta.url)),
  );
  const want = { through: CALLS + 1, together: 1 };
  assert.deepEqual(report, {
    request: want,
    "request+signal": want,
    stream: want,
    "stream+signal": want,
    asResponse: want,
    "asResponse+signal": want,
  });
});
