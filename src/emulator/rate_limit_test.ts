import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions";
const EMB = "/openai/deployments/text-embedding-3-small/embeddings";
const MESSAGES = { messages: [{ role: "user", content: "hi" }] };

Deno.test("rateLimits.requestsPerMinute answers 429 with retry-after, retry-after-ms and remaining headers", async () => {
  let now = 1_000_000;
  const e = createEmulator({ rateLimits: { requestsPerMinute: 2 }, now: () => now });
  const first = await post(e, CHAT, MESSAGES);
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("x-ratelimit-remaining-requests"), "1");
  await first.body?.cancel();
  now += 10_000;
  const second = await post(e, CHAT, MESSAGES);
  assert.equal(second.headers.get("x-ratelimit-remaining-requests"), "0");
  await second.body?.cancel();
  now += 5_500;
  const limited = await post(e, CHAT, MESSAGES);
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("retry-after-ms"), "44500");
  assert.equal(limited.headers.get("retry-after"), "45");
  assert.equal(limited.headers.get("x-ratelimit-remaining-requests"), "0");
  assert.ok(limited.headers.get("apim-request-id"));
  const { error } = await limited.json();
  assert.equal(error.code, "429");
  assert.match(error.message, /retry after 45 seconds/);
  assert.equal(e.stats.rateLimited, 1);
  now += 44_500;
  assert.equal((await post(e, CHAT, MESSAGES)).status, 200);
});

Deno.test("rateLimits apply per deployment", async () => {
  const e = createEmulator({ rateLimits: { requestsPerMinute: 1 }, now: () => 0 });
  assert.equal((await post(e, CHAT, MESSAGES)).status, 200);
  assert.equal((await post(e, EMB, { input: "x" })).status, 200);
  assert.equal((await post(e, CHAT, MESSAGES)).status, 429);
});

Deno.test("rateLimits.tokensPerMinute counts prompt tokens plus max_tokens", async () => {
  let now = 0;
  const e = createEmulator({ rateLimits: { tokensPerMinute: 10 }, now: () => now });
  const a = await post(e, EMB, { input: "abcdefgh abcd" }); // 3 tokens
  assert.equal(a.status, 200);
  assert.equal(a.headers.get("x-ratelimit-remaining-tokens"), "7");
  // No requests limit: no quota to report.
  assert.equal(a.headers.get("x-ratelimit-remaining-requests"), null);
  now = 20_000;
  const b = await post(e, EMB, { input: "abcdefghabcdefgh abcd" }); // 5 tokens
  assert.equal(b.headers.get("x-ratelimit-remaining-tokens"), "2");
  now = 30_000;
  const c = await post(e, EMB, { input: "abcdefghabcd" }); // 3 tokens > 2 left
  assert.equal(c.status, 429);
  // freeing the first entry (3 tokens) at t=60s is enough
  assert.equal(c.headers.get("retry-after-ms"), "30000");
  assert.match((await c.json()).error.message, /token rate limit/);
  const chat = createEmulator({ rateLimits: { tokensPerMinute: 100 }, now: () => 0 });
  const big = await post(chat, CHAT, { ...MESSAGES, max_tokens: 200 });
  assert.equal(big.status, 429);
  assert.equal(big.headers.get("retry-after"), "60");
});

Deno.test("reset() clears rate-limit windows", async () => {
  const e = createEmulator({ rateLimits: { requestsPerMinute: 1 }, now: () => 0 });
  await (await post(e, CHAT, MESSAGES)).body?.cancel();
  assert.equal((await post(e, CHAT, MESSAGES)).status, 429);
  e.reset();
  assert.equal((await post(e, CHAT, MESSAGES)).status, 200);
});
