// A chat or completions stream whose upstream closes cleanly before `data: [DONE]` (a proxy's
// timeout, a connection ended politely mid-reply) is a cut reply: the client's body ends with the
// same error event as a broken read, and onRequest says UpstreamStreamError. Streams that end
// without [DONE] by design (transcriptions) are relayed as they are.
import assert from "node:assert/strict";
import { AzureOpenAIError } from "../../src/errors/api_error.ts";
import { createEdgeApp, type EdgeRequestEvent } from "../../edge/mod.ts";
import { azurePath, KEY, postJson, sseData } from "./_helpers.ts";
import { clientOf, settle, streamingUpstream } from "./_stream_upstream.ts";
import { chatChunk } from "../../compat/tests/_chat_stream.mjs";

// The same chat event the Worker's stream tests send (one `data:` event whose delta is `content`).
const CHUNK: (content: string) => string = chatChunk;

/** An app whose upstream answers every request with `text` as an event stream, then closes. */
function appAnswering(text: string, events?: EdgeRequestEvent[]) {
  const bytes = new TextEncoder().encode(text);
  return createEdgeApp({
    upstream: streamingUpstream("azure-secret-1", () =>
      new ReadableStream({
        start(c) {
          // In two pieces, split inside an event.
          c.enqueue(bytes.slice(0, 7));
          c.enqueue(bytes.slice(7));
          c.close();
        },
      })),
    clientKeys: [KEY],
    onRequest: events ? (e) => void events.push(e) : undefined,
    onError: () => {},
  });
}

const post = (app: ReturnType<typeof createEdgeApp>, path: string, body: unknown) =>
  app.fetch(postJson(path, body));

const CHAT = azurePath("gpt-4o", "chat/completions");
const MESSAGES = [{ role: "user", content: "hi" }];

for (const observed of [false, true]) {
  const label = observed ? " (with onRequest)" : "";
  Deno.test(`chat stream closed before [DONE]: the body ends with the UpstreamStreamError event${label}`, async () => {
    const events: EdgeRequestEvent[] = [];
    const app = appAnswering(CHUNK("Hi") + CHUNK(" there"), observed ? events : undefined);
    const res = await post(app, CHAT, { messages: MESSAGES, stream: true });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.ok(text.startsWith(CHUNK("Hi") + CHUNK(" there")), text);
    const last = text.slice((CHUNK("Hi") + CHUNK(" there")).length);
    assert.match(last, /^data: \{"error":\{"code":"UpstreamStreamError"/);
    assert.ok(last.endsWith("\n\n"));
    if (observed) {
      await settle(() => events.length > 0);
      assert.equal(events[0]?.error, "UpstreamStreamError");
    }
  });
}

Deno.test("chat stream closed before [DONE]: a client of this package gets the typed UpstreamStreamError after the chunks", async () => {
  const app = appAnswering(CHUNK("Hi") + CHUNK(" there"));
  const stream = await clientOf(app).chat.completions.create({
    model: "gpt-4o",
    messages: MESSAGES as never,
    stream: true,
  });
  const seen: string[] = [];
  const err = await (async () => {
    try {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta?.content ?? "");
    } catch (e) {
      return e;
    }
  })();
  assert.deepEqual(seen, ["Hi", " there"]);
  assert.ok(err instanceof AzureOpenAIError, String(err));
  assert.equal((err as AzureOpenAIError).code, "UpstreamStreamError");
});

Deno.test("completions stream closed before [DONE] gets the error event too", async () => {
  const app = appAnswering('data: {"id":"c1","choices":[{"text":"a","index":0}]}\n\n');
  const res = await post(app, azurePath("gpt-35-turbo-instruct", "completions"), {
    prompt: "x",
    stream: true,
  });
  assert.match(await res.text(), /UpstreamStreamError/);
});

for (
  const ending of [
    "data: [DONE]\n\n",
    "data: [DONE]\r\n\r\n",
    "data:[DONE]\n\n\n",
    "data: [DONE]\n\n: bye\n\n",
  ]
) {
  Deno.test(`a stream that ended with [DONE] (${JSON.stringify(ending)}) is relayed unchanged and logged without error`, async () => {
    const events: EdgeRequestEvent[] = [];
    const whole = CHUNK("Hi") + ending;
    const app = appAnswering(whole, events);
    const res = await post(app, CHAT, { messages: MESSAGES, stream: true });
    assert.equal(await res.text(), whole);
    await settle(() => events.length > 0);
    assert.equal(events[0]?.error, undefined);
  });
}

Deno.test("chat stream closed in the middle of an event: the truncated event is ended, then the error event (never a clean end after the half event)", async () => {
  const events: EdgeRequestEvent[] = [];
  const app = appAnswering(CHUNK("Hi") + 'data: {"id":"c1","cho', events);
  const res = await post(app, CHAT, { messages: MESSAGES, stream: true });
  const text = await res.text();
  assert.ok(text.startsWith(CHUNK("Hi") + 'data: {"id":"c1","cho\n\ndata: {"error":{'), text);
  const data = sseData(text);
  assert.equal(data.length, 3, text);
  assert.equal(JSON.parse(data[2]).error.code, "UpstreamStreamError");
  await settle(() => events.length > 0);
  assert.equal(events[0]?.error, "UpstreamStreamError");
});

Deno.test("a transcription stream (no [DONE] by design) is relayed as it is", async () => {
  const whole = 'data: {"type":"transcript.text.delta","delta":"hi"}\n\n' +
    'data: {"type":"transcript.text.done","text":"hi"}\n\n';
  const app = appAnswering(whole);
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(10)], { type: "audio/wav" }), "a.wav");
  form.set("stream", "true");
  form.set("model", "gpt-4o-transcribe");
  const res = await app.fetch(
    new Request(`http://edge.test${azurePath("gpt-4o-transcribe", "audio/transcriptions")}`, {
      method: "POST",
      headers: { "api-key": KEY },
      body: form,
    }),
  );
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(await res.text(), whole);
});
