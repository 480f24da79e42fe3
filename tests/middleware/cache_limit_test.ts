import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { cache, MemoryCache } from "../../src/middleware/mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

Deno.test("cache() sends an embeddings batch larger than the store's operation limit upstream uncached", async () => {
  const emulator = createEmulator();
  let upstream = 0;
  const store = Object.assign(new MemoryCache(), { maxOperationsPerRequest: 10 }); // 4 inputs max
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: (request, init) => {
      upstream++;
      return emulator.fetch(request, init);
    },
    middleware: [cache({ store })],
  });
  const big = ["a", "b", "c", "d", "e"];
  for (let i = 0; i < 2; i++) {
    const res = await client.request({
      path: "embeddings",
      deployment: "text-embedding-3-small",
      json: { input: big },
      operation: "embeddings.create",
    });
    assert.equal(res.headers.get("x-aoai-cache"), "miss");
    assert.equal((await res.json()).data.length, 5);
  }
  assert.equal(upstream, 2);
  assert.equal(store.size, 0);
  const small = await client.request({
    path: "embeddings",
    deployment: "text-embedding-3-small",
    json: { input: ["a", "b", "c", "d"] },
    operation: "embeddings.create",
  });
  await small.body?.cancel();
  const again = await client.request({
    path: "embeddings",
    deployment: "text-embedding-3-small",
    json: { input: ["a", "b", "c", "d"] },
    operation: "embeddings.create",
  });
  assert.equal(again.headers.get("x-aoai-cache"), "hit");
  await again.body?.cancel();
  assert.equal(upstream, 3);
});
