/**
 * The edge app's chat cache and a streamed deterministic miss that carries an error event (Azure's
 * `data: {"error": …}` mid-stream, or an `event: error`), even when `[DONE]` follows: the client's
 * SDK failed on it, so the stream is no answer to replay. Nothing is stored; the next identical
 * request goes upstream again. Served over HTTP on 127.0.0.1, read with the official `openai` SDK.
 *
 * @module
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "openai";
import { AzureOpenAI as Core } from "../../src/client.ts";
import { createEdgeApp, denoHandler, MemoryCache } from "../../edge/mod.ts";
import { KEY } from "./_helpers.ts";

const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
const event = (chunk: Record<string, unknown>) =>
  `data: ${JSON.stringify({ ...base, ...chunk })}\n\n`;
const text = event({ choices: [{ index: 0, delta: { role: "assistant", content: "Hi" } }] });
const stop = event({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
const DONE = "data: [DONE]\n\n";
const failed = 'data: {"error":{"code":"server_error","message":"The server had an error"}}\n\n';

const STREAMS: Record<string, string> = {
  "an error chunk before its stop": text + failed + stop + DONE,
  "an error chunk after its stop": text + stop + failed + DONE,
  "an `event: error`": text + stop +
    'event: error\ndata: {"message":"The server had an error"}\n\n' +
    DONE,
};

for (const [name, body] of Object.entries(STREAMS)) {
  Deno.test(`chat cache: a streamed miss with ${name} is not stored; the retry goes upstream`, async () => {
    let sent = 0;
    const store = new MemoryCache();
    const app = createEdgeApp({
      clientKeys: [KEY],
      upstream: new Core({
        endpoint: "http://upstream.local",
        apiKey: "upstream-key-0001",
        maxRetries: 0,
        fetch: () => {
          sent++;
          return Promise.resolve(
            new Response(body, { headers: { "content-type": "text/event-stream" } }),
          );
        },
      }),
      cache: store,
      chatCache: true,
    });
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      denoHandler(app),
    );
    const client = new AzureOpenAI({
      endpoint: `http://127.0.0.1:${server.addr.port}`,
      apiKey: KEY,
      apiVersion: "2024-10-21",
      maxRetries: 0,
    });
    const caches: (string | null)[] = [];
    const outcomes: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { data: stream, response } = await client.chat.completions.create({
        model: "gpt-4o",
        temperature: 0,
        messages: [{ role: "user", content: "hello" }],
        stream: true,
      }).withResponse();
      caches.push(response.headers.get("x-aoai-cache"));
      // The SDK reads an event-typed error as a chunk without choices: it is no chat chunk.
      try {
        for await (const chunk of stream) {
          if (!Array.isArray(chunk.choices)) throw new Error("not a chat chunk");
        }
        outcomes.push("read to its end");
      } catch {
        outcomes.push("failed");
      }
    }
    assert.deepEqual(outcomes, ["failed", "failed"]);
    assert.deepEqual(caches, ["miss", "miss"]);
    assert.equal(sent, 2, "the retry went upstream");
    assert.equal(store.size, 0, "nothing stored");
  });
}
