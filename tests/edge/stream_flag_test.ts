import assert from "node:assert/strict";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { azurePath, testApp } from "./_helpers.ts";

Deno.test("app still caches embeddings when the body carries a stray stream: true", async () => {
  const t = testApp({ cache: new MemoryCache() });
  const path = azurePath("text-embedding-3-small", "embeddings");
  const body = { input: ["a"], stream: true };
  const first = await t.call(path, { json: body });
  assert.equal(first.headers.get("x-aoai-cache"), "miss");
  const a = await first.json();
  const second = await t.call(path, { json: body });
  assert.equal(second.headers.get("x-aoai-cache"), "hit");
  assert.deepEqual((await second.json()).data, a.data);
  assert.equal(t.upstream.length, 1);
  assert.notEqual(t.upstreamHeaders[0].get("accept"), "text/event-stream");
});
