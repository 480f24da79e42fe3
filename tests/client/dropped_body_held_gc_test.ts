// A body dropped unread is aborted once what the caller held is collected (DROPPED): what the
// caller still reads from must keep that alive. A stream's response (`stream.response`,
// `withResponse().response`), its body or a reader of it, held without the stream, lost the call
// once the stream was collected (Deno: the held response's body failed "The signal has been
// aborted"; the reader kept reading there, but the call was aborted all the same, and under Node
// its reads fail too).
//
// GC must be forced: a script run with --expose-gc reads each kind slowly (gc() before every read)
// from a server on 127.0.0.1, and reports what each reader got and whether the call was aborted;
// then the same with the caller's signal aborted after a first read (the link still holds).
import assert from "node:assert/strict";
import { runWithGc } from "../helpers/gc_script.ts";

const SCRIPT = (root: URL) => `
import { AzureOpenAI } from "${new URL("mod.ts", root).href}";

const N = 6;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const encoder = new TextEncoder();
const CHUNK = 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",' +
  '"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}\\n\\n';
let hold = false;
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
  let i = 0;
  // With hold, two chunks then nothing: only the caller's abort ends it.
  const body = new ReadableStream({
    async pull(c) {
      if (hold && i == 2) return new Promise(() => {});
      await sleep(5);
      c.enqueue(encoder.encode(i++ < N ? CHUNK : "data: [DONE]\\n\\n"));
      if (i > N) c.close();
    },
  }, { highWaterMark: 0 });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
});
const endpoint = "http://127.0.0.1:" + server.addr.port;
const options = { endpoint, apiKey: "sk-held-body", deployment: "gpt-4o", maxRetries: 0 };
const clients = [
  new AzureOpenAI(options),
  new AzureOpenAI({ ...options, streamIdleTimeoutMs: 60_000 }),
];
const messages = [{ role: "user", content: "hi" }];
const chat = (c, signal) => c.chat.completions.create({ messages, stream: true }, { signal });
// Each returns what the caller keeps (a reader to read, the call's controller to check): nothing
// else of the call stays in a variable.
const KINDS = {
  response: async (c, s) => {
    const stream = await chat(c, s);
    return { response: stream.response, controller: stream.controller };
  },
  body: async (c, s) => {
    const stream = await chat(c, s);
    return { body: stream.response.body, controller: stream.controller };
  },
  reader: async (c, s) => {
    const stream = await chat(c, s);
    return { reader: stream.response.body.getReader(), controller: stream.controller };
  },
  withResponse: async (c, s) => {
    const { data, response } = await chat(c, s).withResponse();
    return { response, controller: data.controller };
  },
  iterator: async (c, s) => {
    const stream = await chat(c, s);
    return { iterator: stream[Symbol.asyncIterator](), controller: stream.controller };
  },
  relay: async (c, s) => {
    const stream = await chat(c, s);
    return { body: new Response(stream.toReadableStream()).body, controller: stream.controller };
  },
  asResponse: async (c, s) => ({ body: (await chat(c, s).asResponse()).body }),
  rawBody: async (c, s) => ({
    body: (await c.request({ path: "chat/completions", json: {}, stream: true }, { signal: s }))
      .body,
  }),
};

async function collect() {
  for (let i = 0; i < 3; i++) gc(), await sleep(1);
}

/** What the caller reads: events (or chunks) and the end, or the error. */
async function read(held, abort) {
  const reader = held.reader ?? (held.body ?? held.response?.body)?.getReader();
  const next = reader ? () => reader.read() : () => held.iterator.next();
  let text = "", chunks = 0;
  try {
    for (;;) {
      await collect();
      if (abort && chunks == 1) abort();
      const { done, value } = await next();
      // An event stream ends with [DONE]; toReadableStream()'s JSON lines after the last line.
      if (done) {
        return chunks + (reader
          ? text.includes("[DONE]") ? "+[DONE]" : "+" + (text.split("}\\n").length - 1) + " lines"
          : "+end");
      }
      chunks++;
      if (reader) text += new TextDecoder().decode(value);
    }
  } catch (err) {
    return chunks + ": " + err.name;
  }
}

const report = { read: {}, aborted: {} };
for (const [kind, keep] of Object.entries(KINDS)) {
  for (const [i, client] of clients.entries()) {
    const { signal } = new AbortController();
    const held = await keep(client, signal);
    await collect();
    report.read[kind + i] = await read(held) + (held.controller?.signal.aborted ? " (call aborted)" : "");
  }
}
hold = true;
// A call already aborted unlinked the caller's signal: its abort would wait forever.
const failed = Object.values(report.read).some((got) => !got.includes("+") || got.includes("("));
for (const [kind, keep] of failed ? [] : Object.entries(KINDS)) {
  for (const [i, client] of clients.entries()) {
    const caller = new AbortController();
    // Not yet: with streamIdleTimeoutMs a raw stream body read on after the caller's abort (Deno).
    if (kind == "rawBody" && i) continue;
    const held = await keep(client, caller.signal);
    report.aborted[kind + i] = await read(held, () => caller.abort());
  }
}
console.log(JSON.stringify(report));
await server.shutdown();
`;

Deno.test("a stream's response, its body or a reader of it, held without the stream, is read whole under forced GC; the caller's abort still stops it", async () => {
  const report = await runWithGc<Record<"read" | "aborted", Record<string, string>>>(
    SCRIPT(new URL("../../", import.meta.url)),
  );
  // Through a body, 6 chunks and [DONE] in as many reads as they came in (toReadableStream(): 6
  // JSON lines); a stream's iterator its 6 chunks, then its end. Nothing aborted the call.
  assert.equal(Object.keys(report.read).length, 16);
  for (const [key, got] of Object.entries(report.read as Record<string, string>)) {
    assert.match(
      got,
      key.startsWith("iterator")
        ? /^6\+end$/
        : key.startsWith("relay")
        ? /^\d+\+6 lines$/
        : /^\d+\+\[DONE\]$/,
      `${key}: ${got}`,
    );
  }
  assert.equal(Object.keys(report.aborted).length, 15);
  for (const [key, got] of Object.entries(report.aborted as Record<string, string>)) {
    assert.match(got, /^[12]: (APIUserAbortError|AbortError)$/, `${key}: ${got}`);
  }
});
