/**
 * timeout() hands a response of a status that has no body (101, 103, 204, 205, 304) on as it is: it
 * neither buffers it (a Response of such a status cannot be built with a body) nor parks a
 * deadline for a body nobody reads.
 */
import assert from "node:assert/strict";
import { timeout } from "../../src/middleware/timeout.ts";
import { PARKED_STATE_KEY, type ParkedDeadline } from "../../src/middleware/_deadline.ts";
import { ALARMS } from "../../src/middleware/_alarm_clock.ts";
import { makeContext } from "./_context.ts";

Deno.test("timeout() returns a 204 or 304 as it is, parking nothing", async () => {
  for (const status of [204, 304]) {
    for (const parkable of [false, true]) {
      const before = ALARMS.size;
      const deadlines: ParkedDeadline[] = [];
      const upstream = new Response(null, { status });
      const res = await timeout({ timeoutMs: 60_000 })(
        makeContext({ state: parkable ? { [PARKED_STATE_KEY]: deadlines } : {} }),
        () => Promise.resolve(upstream),
      );
      assert.equal(res, upstream, `${status}`);
      assert.equal(deadlines.length, 0, `${status}: nothing parked`);
      assert.equal(ALARMS.size, before, `${status}: no alarm left`);
    }
  }
});
