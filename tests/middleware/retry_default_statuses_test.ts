/**
 * retry()'s default statuses, one by one: 408, 409, 429, 500, 502, 503 and 504 are retried, and
 * the statuses next to them (400, 410, 501, 505) are not.
 */
import assert from "node:assert/strict";
import { retry, RETRY_STATUSES } from "../../src/middleware/retry.ts";
import { makeContext, recordingSleep } from "./_context.ts";

async function calls(status: number): Promise<number> {
  const { sleep } = recordingSleep();
  let n = 0;
  const res = await retry({ sleep, random: () => 0 })(
    makeContext({ options: { timeoutMs: 0, maxRetries: 1 } }),
    () => Promise.resolve(n++ ? new Response("ok") : new Response(null, { status })),
  );
  await res.body?.cancel();
  return n;
}

Deno.test("retry() retries each default status: 408, 409, 429, 500, 502, 503, 504", async () => {
  assert.deepEqual(RETRY_STATUSES, [408, 409, 429, 500, 502, 503, 504]);
  for (const status of [408, 409, 429, 500, 502, 503, 504]) {
    assert.equal(await calls(status), 2, `status ${status}`);
  }
});

Deno.test("retry() does not retry the statuses next to the defaults: 400, 410, 501, 505", async () => {
  for (const status of [400, 410, 501, 505]) {
    assert.equal(await calls(status), 1, `status ${status}`);
  }
});
