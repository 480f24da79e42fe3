/**
 * The edge app's chat cache and a streamed deterministic miss whose content filter verdict
 * arrives after the text (Azure's asynchronous filter): an annotation chunk that flags the
 * answer after its `stop` chunk. The folded completion is the filter's flagged verdict and is
 * not stored; the next identical request goes upstream.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp, MemoryCache } from "../../edge/mod.ts";
import { azurePath, KEY, postJson } from "./_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const BODY = { messages: [{ role: "user", content: "hello" }], temperature: 0, stream: true };

const event = (chunk: Record<string, unknown>) => `data: ${JSON.stringify(chunk)}\n\n`;
const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };

function flaggedLate(): Response {
  return new Response(
    event({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "Hi" } }] }) +
      event({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }) +
      // The asynchronous filter's annotation, after the text: it flags what was streamed.
      event({
        id: "",
        object: "",
        created: 0,
        model: "",
        choices: [{
          index: 0,
          finish_reason: null,
          content_filter_results: { violence: { filtered: true, severity: "high" } },
          content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: 2 },
        }],
      }) +
      "data: [DONE]\n\n",
    { headers: { "content-type": "text/event-stream" } },
  );
}

Deno.test("app does not store a streamed deterministic miss flagged by a late filter annotation", async () => {
  let sent = 0;
  const store = new MemoryCache();
  const app = createEdgeApp({
    clientKeys: [KEY],
    upstream: new AzureOpenAI({
      endpoint: "http://upstream.local",
      apiKey: "upstream-key-0001",
      maxRetries: 0,
      fetch: () => (sent++, Promise.resolve(flaggedLate())),
    }),
    cache: store,
    chatCache: true,
  });
  for (let i = 0; i < 2; i++) {
    const res = await app.fetch(postJson(CHAT, BODY));
    assert.equal(res.headers.get("x-aoai-cache"), "miss");
    await res.text();
  }
  assert.equal(store.size, 0, "nothing stored");
  assert.equal(sent, 2, "each call went upstream");
});
