// With nothing left (`x-ratelimit-remaining-*: 0`) and no budget of its own, rateLimit() pauses
// the deployment until `x-ratelimit-reset-*` says: seconds ("2", "1.5") or Go-style durations
// ("250ms", "1m30s", "1h"); a value it cannot read entirely pauses it 1 s.
import assert from "node:assert/strict";
import type { RateLimitOptions } from "../../src/middleware/rate_limit.ts";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

/** A call after a response with `headers` waits exactly `ms` (a pause is exact to the ms). */
async function assertPause(
  headers: Record<string, string>,
  ms: number,
  what = "",
  options: RateLimitOptions = {},
) {
  const { time, call } = rateLimitStack({ maxPauseMs: 10 * 3_600_000, ...options }, {
    answer: (id) => Promise.resolve(new Response("ok", { headers: id === "a" ? headers : {} })),
  });
  assert.equal(await state(call("a")), "resolved");
  const b = call("b");
  if (ms > 0) {
    await time.advance(ms - 1);
    assert.equal(await state(b), "pending", `${what}: still paused at ${ms - 1} ms`);
    await time.advance(1);
  }
  assert.equal(await state(b), "resolved", `${what}: goes at ${ms} ms`);
}

const nothingLeft = (reset: string) => ({
  "x-ratelimit-remaining-requests": "0",
  "x-ratelimit-reset-requests": reset,
});

Deno.test("rateLimit() pauses a deployment for x-ratelimit-reset-requests in seconds", async () => {
  await assertPause(nothingLeft("2"), 2_000, "2");
  await assertPause(nothingLeft("1.5"), 1_500, "1.5");
});

Deno.test("rateLimit() reads Go-style durations in x-ratelimit-reset-tokens and -requests", async () => {
  await assertPause(nothingLeft("250ms"), 250, "250ms");
  await assertPause(nothingLeft("1m30s"), 90_000, "1m30s");
  await assertPause(nothingLeft("1h"), 3_600_000, "1h");
  await assertPause(nothingLeft("1h0m2.5s"), 3_602_500, "1h0m2.5s");
  await assertPause(
    { "x-ratelimit-remaining-tokens": "0", "x-ratelimit-reset-tokens": "3s" },
    3_000,
  );
});

Deno.test("rateLimit() pauses 1 s for a reset it cannot read entirely", async () => {
  for (const reset of ["2s5x", "soon", "-3"]) {
    await assertPause(nothingLeft(reset), 1_000, reset);
  }
});

Deno.test("rateLimit() ignores a remaining count that is negative or not a number", async () => {
  for (const left of ["-1", "abc", "Infinity"]) {
    await assertPause({ "x-ratelimit-remaining-requests": left }, 0, left);
    // With a budget set, a count read would lower the deployment's own to it.
    const options = { requestsPerMinute: 600 };
    await assertPause({ "x-ratelimit-remaining-requests": left }, 0, left, options);
  }
});
