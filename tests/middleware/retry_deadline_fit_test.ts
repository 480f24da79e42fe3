/**
 * retry() under a total deadline (timeout({ totalTimeoutMs }) records it in ctx.state): a wait that
 * ends before the deadline is waited and the call retried; one that would end at or after it is
 * not (the response is returned).
 */
import assert from "node:assert/strict";
import { retry } from "../../src/middleware/retry.ts";
import { DEADLINE_STATE_KEY } from "../../src/middleware/_deadline.ts";
import { makeContext, recordingSleep } from "./_context.ts";

async function run(deadline: number) {
  const { waits, sleep } = recordingSleep();
  let n = 0;
  const res = await retry({ sleep, now: () => 1_000, random: () => 0.5, baseDelayMs: 200 })(
    makeContext({ state: { [DEADLINE_STATE_KEY]: deadline } }),
    () => Promise.resolve(n++ ? new Response("ok") : new Response(null, { status: 503 })),
  );
  await res.body?.cancel();
  return { status: res.status, waits, calls: n };
}

Deno.test("retry() waits and retries when the wait ends before the total deadline", async () => {
  // now 1000 + wait 100 < 1101
  assert.deepEqual(await run(1_101), { status: 200, waits: [100], calls: 2 });
});

Deno.test("retry() returns the response when the wait would end at the total deadline", async () => {
  assert.deepEqual(await run(1_100), { status: 503, waits: [], calls: 1 });
});
