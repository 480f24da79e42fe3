/**
 * The edge app's chat cache and two identical deterministic non-streamed calls arriving in the
 * same tick (an in-memory store, which answers at once): one goes upstream, the other waits for
 * its answer and is a hit. The first claims the completion right after its store read, with no
 * tick between them in which the second's read could also answer "none" and the second go
 * upstream too.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { azurePath, KEY, postJson } from "./_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const COMPLETION = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
};

for (const waitUntil of [true, false]) {
  const where = waitUntil ? "waitUntil" : "awaited write";
  Deno.test(`app: two identical non-streamed chat calls in the same tick go upstream once (${where})`, async () => {
    let calls = 0;
    const store = new MemoryCache();
    const app = createEdgeApp({
      clientKeys: [KEY],
      cache: store,
      chatCache: true,
      upstream: new AzureOpenAI({
        endpoint: "http://upstream.local",
        apiKey: "upstream-key-0001",
        maxRetries: 0,
        fetch: () => {
          calls++;
          return Promise.resolve(Response.json(COMPLETION));
        },
      }),
    });
    const background: Promise<unknown>[] = [];
    const ctx = waitUntil
      ? { waitUntil: (work: Promise<unknown>) => void background.push(work) }
      : undefined;
    const body = { messages: [{ role: "user", content: `same tick ${where}` }], temperature: 0 };
    const answers = await Promise.all([
      app.fetch(postJson(CHAT, body), undefined, ctx),
      app.fetch(postJson(CHAT, body), undefined, ctx),
    ]);
    const texts = await Promise.all(answers.map((a) => a.text()));
    await Promise.all(background);
    assert.equal(calls, 1, "one upstream call");
    assert.deepEqual(answers.map((a) => a.headers.get("x-aoai-cache")).sort(), ["hit", "miss"]);
    for (const text of texts) assert.equal(JSON.parse(text).choices[0].message.content, "Hi");
    assert.equal(store.size, 1);
  });
}
