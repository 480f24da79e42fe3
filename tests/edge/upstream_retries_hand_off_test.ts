// With upstreamMaxRetries, only a 429 is handed over to another ready upstream at once: a 429 on
// the only upstream is still waited out and retried (also when a cache layer runs), and a 5xx is
// retried on the upstream that answered it before any failover.
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { createEdgeApp, MemoryCache } from "../../edge/mod.ts";
import { azurePath, KEY, postJson } from "./_helpers.ts";

/** `n` emulators (20 ms waits) behind an app retrying once per upstream; calls seen per upstream. */
function retrying(n: number, cache?: MemoryCache) {
  const seen = Array.from({ length: n }, () => 0);
  const emulators = seen.map((_, i) =>
    createEmulator({ apiKeys: [`upstream-${i}-key-0123456789`], faults: { retryAfterMs: 20 } })
  );
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: () => {},
    upstreamMaxRetries: 1,
    cache,
    upstream: emulators.map((e, i) => ({
      endpoint: `http://up${i}.local`,
      apiKey: e.apiKey,
      fetch: (req: Request, init?: RequestInit) => (seen[i]++, e.fetch(req, init)),
    })),
  });
  return { app, emulators, seen };
}

Deno.test("a 429 on the only upstream is retried there, with an embeddings cache too", async () => {
  const { app, emulators, seen } = retrying(1, new MemoryCache());
  emulators[0].failNext(1, 429);
  const res = await app.fetch(
    postJson(azurePath("text-embedding-3-small", "embeddings"), { input: "a" }),
  );
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.deepEqual(seen, [2]);
});

Deno.test("a 503 is retried on its upstream before failing over, another being ready", async () => {
  const { app, emulators, seen } = retrying(2);
  emulators[0].failNext(1, 503);
  const res = await app.fetch(
    postJson(azurePath("gpt-4o", "chat/completions"), {
      messages: [{ role: "user", content: "hi" }],
    }),
  );
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "0");
  await res.body?.cancel();
  assert.deepEqual(seen, [2, 0]);
});
