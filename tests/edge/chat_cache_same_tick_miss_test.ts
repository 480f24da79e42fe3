/**
 * The edge app's chat cache and two identical deterministic non-streamed calls arriving in the
 * same tick (an in-memory store, which answers at once): one goes upstream, the other waits for
 * its answer and is a hit. The first claims the completion right after its store read, with no
 * tick between them in which the second's read could also answer "none" and the second go
 * upstream too.
 */
import assert from "node:assert/strict";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { postJson } from "./_helpers.ts";
import { CHAT, chatCacheApp, COMPLETION, countingUpstream, requestWork } from "./_chat_cache.ts";

for (const waitUntil of [true, false]) {
  const where = waitUntil ? "waitUntil" : "awaited write";
  Deno.test(`app: two identical non-streamed chat calls in the same tick go upstream once (${where})`, async () => {
    const store = new MemoryCache();
    const upstream = countingUpstream(() => Response.json(COMPLETION));
    const app = chatCacheApp(upstream.client, store);
    const { ctx, settled } = requestWork(waitUntil);
    const body = { messages: [{ role: "user", content: `same tick ${where}` }], temperature: 0 };
    const answers = await Promise.all([
      app.fetch(postJson(CHAT, body), undefined, ctx),
      app.fetch(postJson(CHAT, body), undefined, ctx),
    ]);
    const texts = await Promise.all(answers.map((a) => a.text()));
    await settled();
    assert.equal(upstream.calls, 1, "one upstream call");
    assert.deepEqual(answers.map((a) => a.headers.get("x-aoai-cache")).sort(), ["hit", "miss"]);
    for (const text of texts) assert.equal(JSON.parse(text).choices[0].message.content, "Hi");
    assert.equal(store.size, 1);
  });
}
