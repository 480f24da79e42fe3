/**
 * Time an outer rateLimit() queued the call (ctx.state[QUEUED_MS_STATE_KEY]) counts against
 * timeout()'s attempt and the call's total deadline, once: an attempt whose timeoutMs the queue
 * used up fails before it is sent, naming timeoutMs (also under a total deadline with time left);
 * the total deadline starts when the call was queued.
 */
import assert from "node:assert/strict";
import { QUEUED_MS_STATE_KEY, timeout } from "../../src/middleware/timeout.ts";
import { DEADLINE_STATE_KEY } from "../../src/middleware/_deadline.ts";
import { APITimeoutError } from "../../src/errors/api_error.ts";
import { makeContext } from "./_context.ts";

for (const totalTimeoutMs of [undefined, 60_000]) {
  Deno.test(`timeout(): queued past timeoutMs fails before sending (totalTimeoutMs ${totalTimeoutMs})`, async () => {
    const state: Record<string, unknown> = { [QUEUED_MS_STATE_KEY]: 2 };
    let sent = 0;
    await assert.rejects(
      timeout({ timeoutMs: 1, totalTimeoutMs, now: () => 10_000 })(makeContext({ state }), () => {
        sent++;
        return Promise.resolve(new Response("ok"));
      }),
      (err: Error) => {
        assert.ok(err instanceof APITimeoutError);
        assert.match(err.message, /ran out of its timeoutMs before attempt 1/);
        return true;
      },
    );
    assert.equal(sent, 0);
    assert.equal(state[QUEUED_MS_STATE_KEY], 0, "the queued time is counted once");
  });
}

Deno.test("timeout(): the total deadline starts when the call was queued", async () => {
  const state: Record<string, unknown> = { [QUEUED_MS_STATE_KEY]: 300 };
  const res = await timeout({ totalTimeoutMs: 5_000, now: () => 10_000 })(
    makeContext({ state }),
    () => Promise.resolve(new Response("ok")),
  );
  assert.equal(await res.text(), "ok");
  assert.equal(state[DEADLINE_STATE_KEY], 14_700);
});
