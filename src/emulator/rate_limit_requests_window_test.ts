import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions";
const MESSAGES = { messages: [{ role: "user", content: "hi" }] };

/** Status, retry-after, retry-after-ms and remaining-requests of one chat answer. */
async function answer(e: ReturnType<typeof createEmulator>): Promise<string> {
  const res = await post(e, CHAT, MESSAGES);
  const h = res.headers;
  const message = res.status === 429 ? (await res.json()).error.message : await res.text();
  const kind = /call rate limit/.test(message) ? " call" : "";
  return `${res.status} ${h.get("retry-after")} ${h.get("retry-after-ms")} ${
    h.get("x-ratelimit-remaining-requests")
  }${kind}`;
}

Deno.test("requestsPerMinute 1: the one request's slot frees 60 s after it, retry-after rounded up", async () => {
  let now = 0;
  const e = createEmulator({ rateLimits: { requestsPerMinute: 1 }, now: () => now });
  assert.equal(await answer(e), "200 null null 0");
  now = 29_999;
  assert.equal(await answer(e), "429 31 30001 0 call");
  now = 59_999;
  assert.equal(await answer(e), "429 1 1 0 call");
  now = 60_000;
  assert.equal(await answer(e), "200 null null 0");
});

Deno.test("requestsPerMinute 0 refuses every request with a 60 s wait", async () => {
  const e = createEmulator({ rateLimits: { requestsPerMinute: 0 }, now: () => 5 });
  assert.equal(await answer(e), "429 60 60000 0 call");
  assert.equal(await answer(e), "429 60 60000 0 call");
});
