// A call the renamed fallback answered is cached as the primary would have sent it, so the same
// call is then a hit: on a dated route whose body names no model (none is added, neither for the
// cache nor upstream), and with a request api-version other than the clients' own (the request's
// is kept, not the primary client's).
import assert from "node:assert/strict";
import { cachedFailover, postJson } from "./_helpers.ts";

const BODY = {
  messages: [{ role: "user", content: "cache me" }],
  temperature: 0,
  seed: 7,
};

Deno.test("a chat without model cached from the renamed fallback is the primary's hit, and reaches the fallback without a model", async () => {
  for (const clientVersion of [undefined, "2024-06-01"]) {
    const { app, bodies } = cachedFailover(clientVersion);
    const path = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
    const first = await app.fetch(postJson(path, BODY));
    assert.equal(first.status, 200, String(clientVersion));
    assert.equal(first.headers.get("x-aoai-upstream"), "1");
    await first.body?.cancel();
    assert.equal(await bodies[1][0], JSON.stringify(BODY), "the fallback: the body as sent");
    const again = await app.fetch(postJson(path, BODY));
    assert.equal(again.status, 200);
    assert.equal(again.headers.get("x-aoai-cache"), "hit", String(clientVersion));
    await again.body?.cancel();
    assert.deepEqual(bodies.map((b) => b.length), [1, 1], "no other upstream call");
  }
});
