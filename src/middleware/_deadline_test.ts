import assert from "node:assert/strict";
import {
  endParked,
  failParked,
  park,
  PARKED_STATE_KEY,
  type ParkedDeadline,
  pauseParked,
} from "./_deadline.ts";

/** A parked deadline that records its ends and maps errors to `mapped` (when given). */
function recorder(
  owner: object,
  mapped?: Error,
): ParkedDeadline & { ends: number; pauses: boolean[] } {
  const d = {
    owner,
    ends: 0,
    pauses: [] as boolean[],
    end() {
      d.ends++;
    },
    pause: () => void d.pauses.push(true),
    resume: () => void d.pauses.push(false),
    explain: () => mapped,
  };
  return d;
}

Deno.test("park() parks only where the client offers a place", () => {
  assert.equal(park({}, recorder({})), false, "no place: the caller must buffer the body");
  const state = { [PARKED_STATE_KEY]: [] as ParkedDeadline[] };
  const d = recorder({});
  assert.equal(park(state, d), true);
  assert.deepEqual(state[PARKED_STATE_KEY], [d]);
});

Deno.test("endParked() ends every parked deadline, or only one owner's", () => {
  const a = {};
  const b = {};
  const list: ParkedDeadline[] = [];
  const state = { [PARKED_STATE_KEY]: list };
  const [a1, b1, a2] = [recorder(a), recorder(b), recorder(a)];
  for (const d of [a1, b1, a2]) park(state, d);
  endParked(state, a);
  assert.deepEqual([a1.ends, b1.ends, a2.ends], [1, 0, 1]);
  assert.deepEqual(list, [b1], "the same array keeps the other owner's deadline");
  endParked(state);
  assert.deepEqual([a1.ends, b1.ends, a2.ends], [1, 1, 1]);
  assert.equal(list.length, 0);
  endParked({}, a); // nothing parked, no place: no-op
});

Deno.test("failParked() ends the deadlines and returns the first explanation, else the error", () => {
  const timedOut = new Error("timed out");
  const state = { [PARKED_STATE_KEY]: [] as ParkedDeadline[] };
  const quiet = recorder({});
  const firing = recorder({}, timedOut);
  park(state, quiet);
  park(state, firing);
  const original = new Error("read failed");
  assert.equal(failParked(state, original), timedOut);
  assert.deepEqual([quiet.ends, firing.ends], [1, 1]);
  park(state, recorder({}));
  assert.equal(failParked(state, original), original, "nothing explains it: the error itself");
});

Deno.test("pauseParked() pauses and resumes every parked deadline", () => {
  const state = { [PARKED_STATE_KEY]: [] as ParkedDeadline[] };
  const a = recorder({});
  const b = recorder({});
  park(state, a);
  park(state, b);
  pauseParked(state, true);
  pauseParked(state, false);
  assert.deepEqual(a.pauses, [true, false]);
  assert.deepEqual(b.pauses, [true, false]);
  pauseParked({}, true); // no place: nothing to do
});
