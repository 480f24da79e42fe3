/**
 * The edge app's chat cache without `waitUntil` (Deno): a streamed deterministic miss stores its
 * completion before its body closes. An identical non-streamed call that arrived after the stream
 * started is asking upstream at that time; the store must not wait for that call's answer, or
 * the stream stays open after `[DONE]` for the other call's whole generation.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp, MemoryCache } from "../../edge/mod.ts";
import { azurePath, KEY, postJson } from "./_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const BODY = { messages: [{ role: "user", content: "hello" }], temperature: 0 };
const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
const event = (chunk: Record<string, unknown>) => `data: ${JSON.stringify(chunk)}\n\n`;
const COMPLETION = {
  id: "chatcmpl-2",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
};

/** Resolves after `turns` macrotask turns. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

Deno.test("app closes a streamed miss after [DONE] while an identical non-streamed call is still asking upstream", async () => {
  const encoder = new TextEncoder();
  let streamController!: ReadableStreamDefaultController<Uint8Array>;
  const upstreamStream = new ReadableStream<Uint8Array>({
    start(controller) {
      streamController = controller;
    },
  });
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  let reachedUpstream!: () => void;
  const nonStreamedSent = new Promise<void>((resolve) => (reachedUpstream = resolve));
  const store = new MemoryCache();
  const app = createEdgeApp({
    clientKeys: [KEY],
    upstream: new AzureOpenAI({
      endpoint: "http://upstream.local",
      apiKey: "upstream-key-0001",
      maxRetries: 0,
      fetch: async (req) => {
        const body = await req.clone().json();
        if (body.stream === true) {
          return new Response(upstreamStream, {
            headers: { "content-type": "text/event-stream" },
          });
        }
        reachedUpstream();
        await gate;
        return Response.json(COMPLETION);
      },
    }),
    cache: store,
    chatCache: true,
  });
  let other: Promise<Response> | undefined;
  try {
    const streamed = await app.fetch(postJson(CHAT, { ...BODY, stream: true }));
    assert.equal(streamed.headers.get("x-aoai-cache"), "miss");
    other = app.fetch(postJson(CHAT, BODY));
    await nonStreamedSent;

    streamController.enqueue(encoder.encode(
      event({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "Hi" } }] }) +
        event({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }) +
        "data: [DONE]\n\n",
    ));
    streamController.close();

    const text = streamed.text();
    const ended = await Promise.race([text.then(() => true), turns(100).then(() => false)]);
    assert.ok(ended, "the stream's body ends while the other call is still asking upstream");
    assert.ok((await text).endsWith("data: [DONE]\n\n"));
    assert.equal(store.size, 1, "the stream's completion was stored");
  } finally {
    openGate();
  }
  const res = await other!;
  assert.equal(res.status, 200);
  await res.body?.cancel();
});
