import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

const EMB = "/openai/deployments/text-embedding-3-small/embeddings";

/** An embeddings input of exactly `n` emulator tokens (4 characters each). */
const input = (n: number) => "abcd".repeat(n);

/** Status, retry-after-ms and remaining-tokens of an embeddings request of `n` tokens. */
async function embed(e: ReturnType<typeof createEmulator>, n: number): Promise<string> {
  const res = await post(e, EMB, { input: input(n) });
  await res.body?.cancel();
  const h = res.headers;
  return `${res.status} ${h.get("retry-after-ms")} ${h.get("x-ratelimit-remaining-tokens")}`;
}

Deno.test("tokensPerMinute: a request that uses the whole budget passes and leaves 0", async () => {
  let now = 0;
  const e = createEmulator({ rateLimits: { tokensPerMinute: 3 }, now: () => now });
  assert.equal(await embed(e, 3), "200 null 0");
  // As large as the whole budget: it waits for the first request to leave the window.
  now = 20_000;
  assert.equal(await embed(e, 3), "429 40000 0");
  now = 60_000;
  assert.equal(await embed(e, 3), "200 null 0");
});

Deno.test("tokensPerMinute: the wait is until enough of the oldest requests leave the window", async () => {
  let now = 0;
  const e = createEmulator({ rateLimits: { tokensPerMinute: 10 }, now: () => now });
  assert.equal(await embed(e, 1), "200 null 9");
  now = 20_000;
  assert.equal(await embed(e, 8), "200 null 1");
  now = 30_000;
  // 3 more: freeing the first (1) leaves 11 > 10, so it waits for the second too (t = 80 s).
  assert.equal(await embed(e, 3), "429 50000 1");
});

Deno.test("tokensPerMinute: freeing the oldest request exactly to the budget is enough", async () => {
  let now = 0;
  const e = createEmulator({ rateLimits: { tokensPerMinute: 10 }, now: () => now });
  assert.equal(await embed(e, 3), "200 null 7");
  now = 20_000;
  assert.equal(await embed(e, 5), "200 null 2");
  now = 30_000;
  // 5 more: freeing the first (3) leaves exactly 10, so the wait is until t = 60 s.
  assert.equal(await embed(e, 5), "429 30000 2");
  // Larger than the whole budget: no amount of waiting frees enough; it reports the full window.
  assert.equal(await embed(e, 11), "429 60000 2");
});
