// How long a deployment's calls wait after a response says nothing is left
// (`x-ratelimit-remaining-requests: 0`): with a budget of that kind, until it refills one request
// (no extra pause when no reset is sent); with a reset of 0, not at all.
import assert from "node:assert/strict";
import type { RateLimitOptions } from "../../src/middleware/rate_limit.ts";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

/** Call "a" gets `headers`; returns how long call "b", made next, waits (checked to the ms). */
async function waitAfter(headers: Record<string, string>, ms: number, options: RateLimitOptions) {
  const { time, call } = rateLimitStack(options, {
    answer: (id) => Promise.resolve(new Response("ok", { headers: id === "a" ? headers : {} })),
  });
  assert.equal(await state(call("a")), "resolved");
  const b = call("b");
  if (ms > 0) {
    await time.advance(ms - 1);
    assert.equal(await state(b), "pending", `still waits at ${ms - 1} ms`);
    await time.advance(1);
  }
  assert.equal(await state(b), "resolved", `goes at ${ms} ms`);
}

Deno.test("rateLimit(): nothing left with a requests budget set and no reset: waits the refill of one request (100 ms at 600 RPM), no 1 s pause", async () => {
  await waitAfter({ "x-ratelimit-remaining-requests": "0" }, 100, { requestsPerMinute: 600 });
});

Deno.test("rateLimit(): nothing left with a reset of 0 pauses nothing", async () => {
  const headers = { "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "0" };
  await waitAfter(headers, 0, {});
  await waitAfter({ ...headers, "x-ratelimit-reset-requests": "0s" }, 0, {});
});
