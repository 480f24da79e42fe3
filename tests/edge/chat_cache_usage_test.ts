import assert from "node:assert/strict";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { azurePath, sseData, testApp } from "./_helpers.ts";

const BODY = { messages: [{ role: "user", content: "hello there" }], temperature: 0 };
const ZERO = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

Deno.test("app serves a chat hit with usage 0 when the cached completion came from a stream without usage", async () => {
  const t = testApp({ cache: new MemoryCache(), chatCache: true });
  const path = azurePath("gpt-4o", "chat/completions");
  const miss = await t.call(path, { json: { ...BODY, stream: true } });
  assert.equal(miss.headers.get("x-aoai-cache"), "miss");
  await miss.text();

  const hit = await t.call(path, { json: BODY });
  assert.equal(hit.headers.get("x-aoai-cache"), "hit");
  const completion = await hit.json();
  assert.equal(completion.choices[0].message.content, "You said: hello there");
  assert.deepEqual(completion.usage, ZERO);

  const replay = await t.call(path, {
    json: { ...BODY, stream: true, stream_options: { include_usage: true } },
  });
  assert.equal(replay.headers.get("x-aoai-cache"), "hit");
  const events = sseData(await replay.text());
  assert.equal(events.at(-1), "[DONE]");
  const last = JSON.parse(events.at(-2) as string);
  assert.deepEqual(last.choices, []);
  assert.deepEqual(last.usage, ZERO, "include_usage asks for a final usage chunk");
  assert.equal(t.upstream.length, 1);
});
