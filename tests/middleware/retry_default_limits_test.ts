/**
 * retry()'s default limits: a backoff wait is capped at 8 000 ms (maxDelayMs), a service wait up
 * to 60 000 ms (maxRetryAfterMs) is waited and one beyond it ends retrying with RateLimitError;
 * ms options take fractions below 1 as well.
 */
import assert from "node:assert/strict";
import { retry } from "../../src/middleware/retry.ts";
import { RateLimitError } from "../../src/errors/api_error.ts";
import { makeContext, recordingSleep } from "./_context.ts";

const ctx = (maxRetries: number) => makeContext({ options: { timeoutMs: 0, maxRetries } });

Deno.test("retry() caps a backoff wait at 8000 ms by default", async () => {
  const { waits, sleep } = recordingSleep();
  let n = 0;
  // Just below 1: the waits are the cap less a fraction, floored.
  const random = () => 1 - 2 ** -20;
  await retry({ sleep, random })(
    ctx(6),
    () => Promise.resolve(n++ < 6 ? new Response(null, { status: 503 }) : new Response("ok")),
  );
  // 500 · 2^(n-1): 500, 1000, 2000, 4000, 8000, 16000 → capped at 8000.
  assert.deepEqual(waits, [499, 999, 1999, 3999, 7999, 7999]);
});

const asking = (ms: number) => () =>
  Promise.resolve(
    new Response(JSON.stringify({ error: { code: "429", message: "slow down" } }), {
      status: 429,
      headers: { "retry-after-ms": String(ms) },
    }),
  );

Deno.test("retry() waits what a 429 asks up to 60000 ms by default", async () => {
  const { waits, sleep } = recordingSleep();
  const res = await retry({ sleep })(ctx(1), asking(60_000));
  await res.body?.cancel();
  assert.equal(res.status, 429);
  assert.deepEqual(waits, [60_000]);
});

Deno.test("retry() throws RateLimitError when a 429 asks for 60001 ms by default", async () => {
  const { waits, sleep } = recordingSleep();
  await assert.rejects(retry({ sleep })(ctx(1), asking(60_001)), (err: Error) => {
    assert.ok(err instanceof RateLimitError);
    assert.equal(err.retryAfterMs, 60_001);
    return true;
  });
  assert.deepEqual(waits, []);
});

Deno.test("retry() waits what a 429 asks when it equals maxRetryAfterMs", async () => {
  const { waits, sleep } = recordingSleep();
  const res = await retry({ sleep, maxRetryAfterMs: 1500 })(ctx(1), asking(1500));
  await res.body?.cancel();
  assert.deepEqual(waits, [1500]);
});

Deno.test("retry() takes ms options below 1 (fractions)", async () => {
  const { waits, sleep } = recordingSleep();
  let n = 0;
  await retry({
    sleep,
    random: () => 0.5,
    baseDelayMs: 0.5,
    maxDelayMs: 0.5,
    maxRetryAfterMs: 0.5,
  })(
    ctx(1),
    () => Promise.resolve(n++ ? new Response("ok") : new Response(null, { status: 503 })),
  );
  assert.deepEqual(waits, [0]);
});
