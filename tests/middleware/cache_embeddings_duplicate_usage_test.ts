// Duplicate inputs in one batch go upstream once: `usage` reports the tokens the upstream calls
// of the request were billed (as a partial hit reports only the missing inputs' tokens and a hit
// 0), not the larger count the service would report for the batch as sent.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { cache } from "../../src/middleware/cache.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";

function clients() {
  const emulator = createEmulator();
  const sent: unknown[] = [];
  const make = (middleware: ReturnType<typeof cache>[]) =>
    new AzureOpenAI({
      endpoint: "http://emulator.local",
      apiKey: emulator.apiKey,
      fetch: async (req, init) => {
        const request = new Request(req, init);
        sent.push((await request.clone().json()).input);
        return emulator.fetch(request);
      },
      deployment: "text-embedding-3-small",
      middleware,
    });
  return { plain: make([]), cached: make([cache({ store: new MemoryCache() })]), sent };
}

Deno.test("cache() embeddings: a miss with the same text twice reports the tokens billed (the text once)", async () => {
  const { plain, cached, sent } = clients();
  const once = await plain.embeddings.create({ input: ["hello world"] });
  const twice = await plain.embeddings.create({ input: ["hello world", "hello world"] });
  assert.equal(twice.usage.prompt_tokens, 2 * once.usage.prompt_tokens, "the service counts each");

  const got = await cached.embeddings.create({ input: ["hello world", "hello world"] });
  assert.deepEqual(sent.at(-1), ["hello world"], "sent once");
  assert.deepEqual(got.usage, once.usage, "what that call was billed");
  assert.deepEqual(got.data[1].embedding, twice.data[1].embedding);
});

Deno.test("cache() embeddings: a partial hit with a duplicate missing text reports the tokens billed", async () => {
  const { plain, cached, sent } = clients();
  await cached.embeddings.create({ input: ["cached text"] });
  const billed = await plain.embeddings.create({ input: ["new text"] });
  const got = await cached.embeddings.create({ input: ["new text", "cached text", "new text"] });
  assert.deepEqual(sent.at(-1), ["new text"]);
  assert.deepEqual(got.usage, billed.usage);
});
