/**
 * cache() through the real client and the emulator over HTTP: typed `embeddings.create()` (base64
 * on the wire, decoded by the client) and raw `client.request()` share one cache.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { cache } from "../../src/middleware/cache.ts";
import { type LogEvent, logger } from "../../src/middleware/logger.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import type { CacheStore } from "../../src/cache/types.ts";
import { startServer } from "../helpers/server.ts";

const DEPLOYMENT = "text-embedding-3-small";

async function emulatorServer() {
  const emulator = createEmulator();
  const server = await startServer((_seen, raw) => emulator.fetch(raw));
  /** The inputs of every embeddings request the emulator received. */
  const inputs = () =>
    server.seen.filter((s) => s.url.pathname.endsWith("/embeddings")).map((s) =>
      JSON.parse(s.text).input
    );
  return { server, apiKey: emulator.apiKey, inputs };
}

Deno.test("client.embeddings.create() through cache(): miss, hit and partial keep order and usage", async () => {
  const { server, apiKey, inputs } = await emulatorServer();
  await using _ = server;
  const plain = new AzureOpenAI({ endpoint: server.url, apiKey, deployment: DEPLOYMENT });
  const cached = new AzureOpenAI({
    endpoint: server.url,
    apiKey,
    deployment: DEPLOYMENT,
    middleware: [cache({ store: new MemoryCache() })],
  });
  const all = ["one", "two", "three", "four", "five"];
  const expected = await plain.embeddings.create({ input: all });
  const before = inputs().length;

  const miss = await cached.embeddings.create({ input: ["two", "four", "five"] });
  assert.ok(miss.usage.prompt_tokens > 0);
  const hit = await cached.embeddings.create({ input: ["two", "four", "five"] });
  assert.deepEqual(hit.usage, { prompt_tokens: 0, total_tokens: 0 });
  assert.deepEqual(hit.data, miss.data);
  assert.equal(hit.model, miss.model);

  const partial = await cached.embeddings.create({ input: all });
  assert.deepEqual(inputs().slice(before), [["two", "four", "five"], ["one", "three"]]);
  assert.deepEqual(partial.data.map((d) => d.index), [0, 1, 2, 3, 4]);
  assert.deepEqual(partial.data, expected.data, "same vectors, same order as without cache");
  const upstreamPart = await plain.embeddings.create({ input: ["one", "three"] });
  assert.deepEqual(partial.usage, upstreamPart.usage);
});

Deno.test("client.request() and embeddings.create() share cache entries", async () => {
  const { server, apiKey, inputs } = await emulatorServer();
  await using _ = server;
  const events: LogEvent[] = [];
  const client = new AzureOpenAI({
    endpoint: server.url,
    apiKey,
    middleware: [logger({ onEvent: (e) => events.push(e) }), cache({ store: new MemoryCache() })],
  });
  const typed = await client.embeddings.create({ model: DEPLOYMENT, input: ["x", "y"] });
  const res = await client.request({
    path: "embeddings",
    deployment: DEPLOYMENT,
    json: { model: DEPLOYMENT, input: ["y", "x"], encoding_format: "float" },
    operation: "embeddings.create",
  });
  assert.equal(res.headers.get("x-aoai-cache"), "hit");
  const body = await res.json();
  assert.deepEqual(body.data[0].embedding, typed.data[1].embedding);
  assert.deepEqual(body.data[1].embedding, typed.data[0].embedding);
  assert.equal(inputs().length, 1);
  assert.deepEqual(events.filter((e) => e.type === "end").map((e) => e.cache), ["miss", "hit"]);
});

Deno.test("client with a throwing cache store still returns the right embeddings", async () => {
  const { server, apiKey } = await emulatorServer();
  await using _ = server;
  const fail = () => {
    throw new Error("store unavailable");
  };
  const store = { get: fail, getMany: fail, set: fail, delete: fail } as unknown as CacheStore;
  const plain = new AzureOpenAI({ endpoint: server.url, apiKey, deployment: DEPLOYMENT });
  const cached = new AzureOpenAI({
    endpoint: server.url,
    apiKey,
    deployment: DEPLOYMENT,
    middleware: [cache({ store })],
  });
  const expected = await plain.embeddings.create({ input: ["a", "b"], dimensions: 64 });
  for (let i = 0; i < 2; i++) {
    const got = await cached.embeddings.create({ input: ["a", "b"], dimensions: 64 });
    assert.deepEqual(got.data, expected.data);
    assert.deepEqual(got.usage, expected.usage);
  }
});

Deno.test("client does not cache an embeddings error", async () => {
  const { server, apiKey } = await emulatorServer();
  await using _ = server;
  const store = new MemoryCache();
  const client = new AzureOpenAI({
    endpoint: server.url,
    apiKey,
    middleware: [cache({ store })],
  });
  await assert.rejects(
    client.embeddings.create({ model: "no-such-deployment", input: "a" }),
    /404/,
  );
  assert.equal(store.size, 0);
});
