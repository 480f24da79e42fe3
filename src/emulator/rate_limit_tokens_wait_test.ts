import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

const EMB = "/openai/deployments/text-embedding-3-small/embeddings";

/**
 * Sends embeddings requests of `tokens` emulator tokens (4 characters each) at clock `at` to an
 * emulator with `tokensPerMinute`; each answer as `status retry-after-ms remaining-tokens`.
 */
async function answers(tokensPerMinute: number, steps: [number, number][]): Promise<string[]> {
  let now = 0;
  const e = createEmulator({ rateLimits: { tokensPerMinute }, now: () => now });
  const out: string[] = [];
  for (const [at, tokens] of steps) {
    now = at;
    const res = await post(e, EMB, { input: "abcd".repeat(tokens) });
    await res.body?.cancel();
    const h = res.headers;
    out.push(`${res.status} ${h.get("retry-after-ms")} ${h.get("x-ratelimit-remaining-tokens")}`);
  }
  return out;
}

Deno.test("tokensPerMinute: a request that uses the whole budget passes and leaves 0", async () => {
  // The second, as large as the whole budget, waits for the first to leave the window.
  assert.deepEqual(await answers(3, [[0, 3], [20_000, 3], [60_000, 3]]), [
    "200 null 0",
    "429 40000 0",
    "200 null 0",
  ]);
});

Deno.test("tokensPerMinute: the wait is until enough of the oldest requests leave the window", async () => {
  // 3 more at 30 s: freeing the first (1) leaves 11 > 10, so it waits for the second too (80 s).
  assert.deepEqual(await answers(10, [[0, 1], [20_000, 8], [30_000, 3]]), [
    "200 null 9",
    "200 null 1",
    "429 50000 1",
  ]);
});

Deno.test("tokensPerMinute: freeing the oldest request exactly to the budget is enough", async () => {
  // 5 more at 30 s: freeing the first (3) leaves exactly 10, so the wait is until 60 s. Larger
  // than the whole budget (11): no amount of waiting frees enough; it reports the full window.
  assert.deepEqual(await answers(10, [[0, 3], [20_000, 5], [30_000, 5], [30_000, 11]]), [
    "200 null 7",
    "200 null 2",
    "429 30000 2",
    "429 60000 2",
  ]);
});
