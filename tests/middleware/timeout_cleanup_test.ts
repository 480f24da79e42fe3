/**
 * timeout() leaves nothing behind: after an attempt whose body it buffered, and once a parked
 * deadline ends, its alarm is gone from the shared clock and its listener from the caller's signal;
 * a paused parked deadline holds neither until it is resumed, and one that ended stays ended.
 */
import assert from "node:assert/strict";
import { timeout } from "../../src/middleware/timeout.ts";
import {
  endParked,
  PARKED_STATE_KEY,
  type ParkedDeadline,
  pauseParked,
} from "../../src/middleware/_deadline.ts";
import { ALARMS } from "../../src/middleware/_alarm_clock.ts";
import { countedSignal } from "../helpers/counted_signal.ts";
import { makeContext } from "./_context.ts";

Deno.test("timeout() drops its alarm and signal listener after buffering a body", async () => {
  const before = ALARMS.size;
  const caller = countedSignal();
  const res = await timeout({ timeoutMs: 60_000 })(
    makeContext({ signal: caller.signal }),
    () => Promise.resolve(new Response("ok")),
  );
  assert.equal(await res.text(), "ok");
  assert.equal(ALARMS.size, before, "no alarm left");
  assert.equal(caller.listeners(), 0, "no listener left on the caller's signal");
});

Deno.test("timeout()'s parked deadline holds its alarm and listener until it ends; paused, neither", async () => {
  const before = ALARMS.size;
  const caller = countedSignal();
  const deadlines: ParkedDeadline[] = [];
  const state = { [PARKED_STATE_KEY]: deadlines };
  const res = await timeout({ timeoutMs: 60_000 })(
    makeContext({ signal: caller.signal, state }),
    () => Promise.resolve(new Response("ok")),
  );
  assert.equal(deadlines.length, 1);
  const [parked] = deadlines;
  assert.deepEqual([ALARMS.size, caller.listeners()], [before + 1, 1], "parked: both held");
  pauseParked(state, true);
  assert.deepEqual([ALARMS.size, caller.listeners()], [before, 0], "paused: neither");
  pauseParked(state, false);
  assert.deepEqual([ALARMS.size, caller.listeners()], [before + 1, 1], "resumed: both again");
  endParked(state);
  assert.deepEqual([ALARMS.size, caller.listeners()], [before, 0], "ended: neither");
  parked.resume();
  assert.deepEqual([ALARMS.size, caller.listeners()], [before, 0], "ended stays ended");
  await res.body?.cancel();
});
