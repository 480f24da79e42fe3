import assert from "node:assert/strict";
import { azurePath, collectUnhandled, KEY, testApp } from "./_helpers.ts";

Deno.test("app fails open when its onError is async and rejects (no unhandled rejection)", async () => {
  // An async reporter is a `(message) => void` too; its rejection, unhandled, ends a Deno process.
  const { unhandled, stop } = collectUnhandled();
  try {
    const reported: string[] = [];
    const t = testApp({
      rateLimit: { limiter: { take: () => Promise.reject(new Error("KV down")) } },
      onError: async (message) => {
        reported.push(message);
        await Promise.resolve();
        throw new Error("log pipe broken");
      },
    });
    const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
      headers: { "api-key": KEY },
      json: { messages: [{ role: "user", content: "hi" }] },
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.ok(reported.some((m) => /^rate limiter failed, request let through: KV down/.test(m)));
    // Unhandled rejections are reported once the microtasks have run.
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(unhandled.map(String), []);
  } finally {
    stop();
  }
});
