import assert from "node:assert/strict";
import { kvPause } from "./_kv_key.ts";

// The wait is random: with Math.random() at its top, it is 2 ** attempt ms, at most 64.
Deno.test("kvPause() waits up to 2 ** attempt ms, at most 64 ms, on a timer", async () => {
  const { random } = Math;
  const realSetTimeout = globalThis.setTimeout;
  const delays: number[] = [];
  Math.random = () => 1;
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    delays.push(ms ?? 0);
    return realSetTimeout(fn, 0);
  }) as typeof setTimeout;
  try {
    for (const attempt of [0, 3, 6, 9]) await kvPause(attempt);
  } finally {
    Math.random = random;
    globalThis.setTimeout = realSetTimeout;
  }
  assert.deepEqual(delays, [1, 8, 64, 64]);
});
