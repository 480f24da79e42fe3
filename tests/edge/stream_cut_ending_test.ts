// A stream the upstream breaks: the client gets a well-formed SSE ending (an error event), and
// the tokens are still charged.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { AzureOpenAIError } from "../../src/errors/api_error.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { azurePath, KEY, recordingLimiter, sseData, testApp } from "./_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const MESSAGES = [{ role: "user", content: "one two three four five six seven eight" }];

Deno.test("stream cut by the upstream: the client's body ends with an error event, not a broken read", async () => {
  const t = testApp({ emulator: { faults: { dropStreamAfterChunks: 2 } }, onError: () => {} });
  const res = await t.call(CHAT, { json: { messages: MESSAGES, stream: true } });
  assert.equal(res.status, 200);
  const text = await res.text();
  const events = sseData(text);
  assert.equal(events.length, 3, text);
  const last = JSON.parse(events[2]);
  assert.equal(last.error.code, "UpstreamStreamError");
  assert.equal(last.error.type, "server_error");
  assert.ok(text.endsWith("\n\n"));
  assert.equal(events.includes("[DONE]"), false, "no [DONE]: the reply is incomplete");
});

Deno.test("stream cut by the upstream: the SDK-style client sees a typed error after the chunks", async () => {
  const t = testApp({ emulator: { faults: { dropStreamAfterChunks: 2 } }, onError: () => {} });
  const client = new AzureOpenAI({
    endpoint: "http://edge.test",
    apiKey: KEY,
    maxRetries: 0,
    fetch: (req) => t.app.fetch(req),
  });
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: MESSAGES as never,
    stream: true,
  });
  let chunks = 0;
  const err = await (async () => {
    try {
      for await (const _ of stream) chunks++;
    } catch (e) {
      return e;
    }
  })();
  assert.equal(chunks, 2);
  assert.ok(err instanceof AzureOpenAIError, String(err));
  assert.equal((err as AzureOpenAIError).code, "UpstreamStreamError");
});

Deno.test("stream cut by the upstream under a token limit: what streamed is charged, the event says UpstreamStreamError", async () => {
  const r = recordingLimiter();
  const events: { error?: string }[] = [];
  const t = testApp({
    emulator: { faults: { dropStreamAfterChunks: 3 } },
    tokenLimit: { limiter: r.limiter },
    onRequest: (e) => void events.push(e),
    onError: () => {},
  });
  const res = await t.call(CHAT, { json: { messages: MESSAGES, stream: true } });
  assert.equal(JSON.parse(sseData(await res.text()).at(-1)!).error.code, "UpstreamStreamError");
  await r.reach();
  assert.equal(r.tokens.length, 1);
  assert.ok(r.tokens[0] > 0, "charged");
  assert.equal(events[0]?.error, "UpstreamStreamError");
});

Deno.test("stream cut in the middle of an event: the truncated event is ended, then the error event and a clean end (never a clean end after the half event)", async () => {
  const enc = new TextEncoder();
  const app = createEdgeApp({
    upstream: new AzureOpenAI({
      endpoint: "http://upstream.test",
      apiKey: "azure-secret-1",
      fetch: () =>
        Promise.resolve(
          new Response(
            new ReadableStream({
              start(c) {
                c.enqueue(enc.encode('data: {"id":"c1","choices":[]}\n\ndata: {"id":"c'));
              },
              // Asked for more once the first bytes were read: the connection breaks then.
              pull(c) {
                if (c.desiredSize! > 0) c.error(new TypeError("connection reset"));
              },
            }),
            { headers: { "content-type": "text/event-stream" } },
          ),
        ),
    }),
    clientKeys: [KEY],
    onError: (message) => void errors.push(message),
  });
  const errors: string[] = [];
  const res = await app.fetch(
    new Request(`http://edge.test${CHAT}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ messages: MESSAGES, stream: true }),
    }),
  );
  assert.equal(res.status, 200);
  const text = await res.text();
  // The half event ends as it came (truncated JSON: no reader parses it), the error event follows.
  const events = sseData(text);
  assert.deepEqual(events.slice(0, 2), ['{"id":"c1","choices":[]}', '{"id":"c']);
  assert.equal(JSON.parse(events[2]).error.code, "UpstreamStreamError");
  assert.equal(events.length, 3, text);
  assert.ok(text.endsWith("\n\n"), text);
  assert.equal(errors.length, 1, errors.join("\n"));
  assert.match(
    errors[0],
    /^chat: the upstream's stream broke before its end \(APIConnectionError: /,
  );
});
