// A failover status without a body (a gateway's bare 503 or 502, a bare 429, which is held to
// answer with) fails over like one with a body.
import assert from "node:assert/strict";
import { azurePath, postJson } from "./_helpers.ts";
import { firstThenEmulator } from "./_first_upstream.ts";

const CHAT = { messages: [{ role: "user", content: "hi" }] };

Deno.test("an upstream answering 429, 502 or 503 without a body fails over to the next", async () => {
  for (const status of [429, 502, 503]) {
    const { app, errors } = firstThenEmulator(() =>
      Promise.resolve(new Response(null, { status }))
    );
    const res = await app.fetch(postJson(azurePath("gpt-4o", "chat/completions"), CHAT));
    assert.equal(res.status, 200, String(status));
    assert.equal(res.headers.get("x-aoai-upstream"), "1");
    assert.equal((await res.json()).object, "chat.completion");
    assert.deepEqual(errors, [
      `chat.completions.create: upstream first.example answered ${status}; trying upstream 1`,
    ]);
  }
});
