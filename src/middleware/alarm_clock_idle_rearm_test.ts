// The shared AlarmClock's idle wait and arming, on a fake clock and fake timers: a later alarm
// set while the clock waits to go idle keeps the timer (it fired never when the wait cleared it),
// the wait lasts more than one microtask, and timers are armed for the time left.
import assert from "node:assert/strict";
import { AlarmClock, IDLE_MICROTASKS, MAX_TIMER_MS } from "./_alarm_clock.ts";

function fakeClock() {
  let now = 0;
  const timers: { fire: () => void; ms: number; cleared: boolean }[] = [];
  const clock = new AlarmClock({
    now: () => now,
    setTimer: (fire, ms) => {
      timers.push({ fire, ms, cleared: false });
      return timers.length as unknown as ReturnType<typeof setTimeout>;
    },
    clearTimer: (id) => void (timers[(id as unknown as number) - 1].cleared = true),
  });
  const live = () => timers.filter((t) => !t.cleared);
  /** Moves the time to `at` and fires the pending timer. */
  const ring = (at: number) => {
    now = at;
    const [timer] = live();
    timer.cleared = true;
    timer.fire();
  };
  return { clock, timers, live, ring, setNow: (at: number) => void (now = at) };
}

const microtasks = async (n: number) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

Deno.test("AlarmClock: a later alarm set while it waits to go idle keeps the timer and fires", async () => {
  const { clock, live, ring } = fakeClock();
  clock.cancel(clock.set(10, () => assert.fail("cancelled")));
  let fired = false;
  clock.set(20, () => fired = true); // later than the armed timer: no new one
  await microtasks(IDLE_MICROTASKS + 4);
  assert.equal(live().length, 1, "the timer is kept for the pending alarm");
  ring(10); // the timer set for the cancelled alarm: re-armed for the pending one
  assert.equal(fired, false);
  assert.deepEqual(live().map((t) => t.ms), [10]);
  ring(20);
  assert.equal(fired, true);
});

Deno.test("AlarmClock keeps an idle timer for more than one microtask, then clears it", async () => {
  const { clock, live } = fakeClock();
  clock.cancel(clock.set(10, () => {}));
  await microtasks(2);
  assert.equal(live().length, 1, "kept for a next call within the idle wait");
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(live().length, 0);
});

Deno.test("AlarmClock arms its timer for the time left, and fires no alarm more than 1 ms early", () => {
  const { clock, live, ring, setNow } = fakeClock();
  setNow(1_000);
  let fired = false;
  clock.set(10, () => fired = true);
  assert.deepEqual(live().map((t) => t.ms), [10]);
  ring(1_008.5); // 1.5 ms early: not due, armed again for the rest
  assert.equal(fired, false);
  assert.deepEqual(live().map((t) => t.ms), [1.5]);
  ring(1_009.5); // within 1 ms: due (timers round to 1 ms)
  assert.equal(fired, true);
});

Deno.test("MAX_TIMER_MS is the longest delay setTimeout takes (2^31 - 1 ms)", () => {
  assert.equal(MAX_TIMER_MS, 2 ** 31 - 1);
});
