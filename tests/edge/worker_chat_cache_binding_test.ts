/**
 * AOAI_EDGE_CHAT_CACHE on without an AOAI_CACHE KV binding caches nothing (the cache store is the
 * binding): the Worker serves uncached, as the embeddings cache does without it, but says so once
 * per build with console.warn, naming the binding; it said nothing, so an operator believed chat
 * caching was on.
 */
import assert from "node:assert/strict";
import worker, { createWorkerApp, type WorkerEnv } from "../../edge/worker.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";

const ctx: EdgeExecutionContext = { waitUntil: () => {} };
const BASE: WorkerEnv = {
  AZURE_OPENAI_ENDPOINT: "https://chat-cache-binding-test.openai.azure.com",
  AZURE_OPENAI_API_KEY: "azure-binding-test-secret",
  AOAI_EDGE_KEYS: "binding-test-client-key",
};
const KV = {
  get: () => Promise.resolve(null),
  put: () => Promise.resolve(),
  delete: () => Promise.resolve(),
};

async function warnings(run: () => Promise<void> | void): Promise<string[]> {
  const lines: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  try {
    await run();
  } finally {
    console.warn = warn;
  }
  return lines;
}

Deno.test("createWorkerApp(): AOAI_EDGE_CHAT_CACHE on without AOAI_CACHE warns naming the binding; with it, or off, no warning", async () => {
  const none = await warnings(() => void createWorkerApp({ ...BASE, AOAI_EDGE_CHAT_CACHE: "1" }));
  assert.equal(none.length, 1, none.join("\n"));
  assert.match(none[0], /^aoai-edge: warning: AOAI_EDGE_CHAT_CACHE is on, but .*AOAI_CACHE/);
  assert.ok(!none[0].includes("azure-binding-test-secret"));
  assert.deepEqual(
    await warnings(() =>
      void createWorkerApp({ ...BASE, AOAI_EDGE_CHAT_CACHE: "1", AOAI_CACHE: KV })
    ),
    [],
  );
  assert.deepEqual(await warnings(() => void createWorkerApp(BASE)), []);
  assert.deepEqual(
    await warnings(() => void createWorkerApp({ ...BASE, AOAI_EDGE_CHAT_CACHE: "off" })),
    [],
  );
});

Deno.test("the Worker without AOAI_CACHE and AOAI_EDGE_CHAT_CACHE on serves, and warns once, not per request", async () => {
  const env = { ...BASE, AOAI_EDGE_CHAT_CACHE: "true" };
  const lines = await warnings(async () => {
    for (let i = 0; i < 3; i++) {
      const res = await worker.fetch(new Request("https://w.example/health"), env, ctx);
      assert.equal(res.status, 200);
      await res.text();
    }
  });
  assert.equal(lines.length, 1, lines.join("\n"));
  assert.match(lines[0], /AOAI_CACHE/);
});
