/**
 * cache() and `dimensions` across api-versions: 2024-02-01's spec has no `dimensions`, so the
 * service (and the emulator) ignores it there; entries keyed by `dimensions` must not be shared
 * with api-versions that honour it.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { cache } from "../../src/middleware/cache.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";

function clients() {
  const emulator = createEmulator();
  const store = new MemoryCache();
  const client = (apiVersion: string, cached: boolean) =>
    new AzureOpenAI({
      endpoint: "http://emulator.local",
      apiKey: emulator.apiKey,
      fetch: emulator.fetch,
      apiVersion,
      deployment: "text-embedding-3-small",
      middleware: cached ? [cache({ store })] : [],
    });
  return client;
}

for (const order of [["2024-02-01", "2024-10-21"], ["2024-10-21", "2024-02-01"]]) {
  Deno.test(`cache() with dimensions: api-version ${order[0]} then ${order[1]} get what the service answers each`, async () => {
    const client = clients();
    const params = { input: ["x", "y"], dimensions: 256 };
    for (const version of order) {
      const expected = await client(version, false).embeddings.create(params);
      const got = await client(version, true).embeddings.create(params);
      assert.equal(
        got.data[0].embedding.length,
        expected.data[0].embedding.length,
        `length on ${version}`,
      );
    }
  });
}
