import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions";
const MESSAGES = { messages: [{ role: "user", content: "hi" }] };

Deno.test("an injected 429 or 503 carries retry-after in whole seconds rounded up, and retry-after-ms", async () => {
  for (const status of [429, 503]) {
    for (const [ms, seconds] of [[3001, "4"], [1000, "1"], [0, "0"]] as const) {
      const e = createEmulator({ faults: { failNext: { count: 1, status }, retryAfterMs: ms } });
      const res = await post(e, CHAT, MESSAGES);
      await res.body?.cancel();
      assert.equal(res.status, status);
      assert.equal(res.headers.get("retry-after"), seconds, `${status} ${ms}`);
      assert.equal(res.headers.get("retry-after-ms"), String(ms), `${status} ${ms}`);
    }
  }
});

Deno.test("an injected fault of another status sends no retry-after header", async () => {
  for (const status of [400, 408, 500, 502, 504]) {
    const e = createEmulator({ faults: { failNext: { count: 1, status }, retryAfterMs: 2000 } });
    const res = await post(e, CHAT, MESSAGES);
    await res.body?.cancel();
    assert.equal(res.status, status);
    assert.equal(res.headers.get("retry-after"), null, String(status));
    assert.equal(res.headers.get("retry-after-ms"), null, String(status));
  }
});
