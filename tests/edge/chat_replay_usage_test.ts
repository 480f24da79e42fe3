/**
 * A cached chat completion without `usage` (an upstream or proxy that leaves it out, an older
 * entry), replayed as a stream to a request asking `stream_options.include_usage`: the stream
 * still ends with a usage chunk, of zeros, as a hit reports usage 0.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { completionToChunks, createEdgeApp, MemoryCache } from "../../edge/mod.ts";
import { azurePath, KEY, postJson, sseData } from "./_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const BODY = { messages: [{ role: "user", content: "hello" }], temperature: 0 };
const ZERO = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
const COMPLETION = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
};

Deno.test("completionToChunks() with includeUsage ends with a usage chunk of zeros when the completion has no usage", () => {
  for (const usage of [{}, { usage: null }]) {
    const chunks = completionToChunks({ ...COMPLETION, ...usage }, { includeUsage: true });
    const last = chunks.at(-1) as Record<string, unknown>;
    assert.deepEqual(last.choices, []);
    assert.deepEqual(last.usage, ZERO);
    for (const chunk of chunks.slice(0, -1)) assert.equal(chunk.usage, null);
  }
  const unasked = completionToChunks(COMPLETION, { includeUsage: false });
  assert.ok(unasked.every((c) => !("usage" in c)));
});

Deno.test("app replays a cached completion without usage with a usage chunk of zeros when include_usage is asked", async () => {
  let sent = 0;
  const app = createEdgeApp({
    clientKeys: [KEY],
    upstream: new AzureOpenAI({
      endpoint: "http://upstream.local",
      apiKey: "upstream-key-0001",
      maxRetries: 0,
      fetch: () => (sent++, Promise.resolve(Response.json(COMPLETION))),
    }),
    cache: new MemoryCache(),
    chatCache: true,
  });
  const miss = await app.fetch(postJson(CHAT, BODY));
  assert.equal(miss.headers.get("x-aoai-cache"), "miss");
  await miss.text();

  const replay = await app.fetch(
    postJson(CHAT, { ...BODY, stream: true, stream_options: { include_usage: true } }),
  );
  assert.equal(replay.headers.get("x-aoai-cache"), "hit");
  const events = sseData(await replay.text());
  assert.equal(events.at(-1), "[DONE]");
  const last = JSON.parse(events.at(-2) as string);
  assert.deepEqual(last.choices, []);
  assert.deepEqual(last.usage, ZERO, "include_usage asks for a final usage chunk");
  assert.equal(sent, 1);
});
