// With upstreamMaxRetries: 1 (the least that retries), a 429 still fails over at once while
// another upstream is ready, rather than being waited out on the throttled one.
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { azurePath, KEY, postJson } from "./_helpers.ts";

Deno.test("upstreamMaxRetries: 1 hands a 429 over to the next ready upstream without retrying the first", async () => {
  const seen = [0, 0];
  const emulators = [0, 1].map((i) =>
    createEmulator({ apiKeys: [`upstream-${i}-key-0123456789`], faults: { retryAfterMs: 20 } })
  );
  emulators[0].failNext(2, 429);
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: () => {},
    upstreamMaxRetries: 1,
    upstream: emulators.map((e, i) => ({
      endpoint: `http://up${i}.local`,
      apiKey: e.apiKey,
      fetch: (req: Request, init?: RequestInit) => (seen[i]++, e.fetch(req, init)),
    })),
  });
  const res = await app.fetch(
    postJson(azurePath("gpt-4o", "chat/completions"), {
      messages: [{ role: "user", content: "hi" }],
    }),
  );
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  await res.body?.cancel();
  assert.deepEqual(seen, [1, 1], "no retry on the throttled upstream");
});
