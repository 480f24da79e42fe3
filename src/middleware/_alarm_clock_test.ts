import assert from "node:assert/strict";
import { AlarmClock, IDLE_MICROTASKS, MAX_TIMER_MS, timersAreShared } from "./_alarm_clock.ts";

/**
 * An AlarmClock over the real timers that counts how often it set and cleared one; `armed()`
 * tells whether one of its timers is still pending (set, neither cleared nor fired).
 */
function countingClock(shared = true): {
  clock: AlarmClock;
  sets: () => number;
  clears: () => number;
  armed: () => boolean;
} {
  let sets = 0;
  let clears = 0;
  const live = new Set<ReturnType<typeof setTimeout>>();
  const clock = new AlarmClock({
    shared,
    setTimer: (fire, ms) => {
      sets++;
      const timer = setTimeout(() => {
        live.delete(timer);
        fire();
      }, ms);
      live.add(timer);
      return timer;
    },
    clearTimer: (timer) => {
      clears++;
      live.delete(timer);
      clearTimeout(timer);
    },
  });
  return { clock, sets: () => sets, clears: () => clears, armed: () => live.size > 0 };
}

/** Resolves after the microtasks the clock waits before going idle have run. */
const afterIdleWait = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("AlarmClock fires an alarm once its time has passed and then disarms", async () => {
  const { clock, armed } = countingClock();
  const started = performance.now();
  await new Promise<void>((resolve) => clock.set(5, resolve));
  assert.ok(performance.now() - started >= 4, "not before its time");
  assert.equal(clock.size, 0);
  assert.equal(armed(), false);
});

Deno.test("AlarmClock fires an earlier alarm set after a later one", async () => {
  const { clock, armed } = countingClock();
  const fired: string[] = [];
  const late = clock.set(60_000, () => fired.push("late"));
  await new Promise<void>((resolve) =>
    clock.set(5, () => {
      fired.push("early");
      resolve();
    })
  );
  assert.deepEqual(fired, ["early"]);
  assert.equal(armed(), true, "re-armed for the late alarm");
  clock.cancel(late);
  await afterIdleWait();
  assert.equal(armed(), false);
});

Deno.test("AlarmClock reuses its timer for back-to-back alarms and clears it when idle", async () => {
  const { clock, sets, clears, armed } = countingClock();
  for (let i = 0; i < 5; i++) {
    const alarm = clock.set(60_000, () => assert.fail("must not fire"));
    await Promise.resolve(); // the call's work, within the same task
    clock.cancel(alarm);
  }
  assert.equal(sets(), 1, "one timer for five sequential alarms");
  assert.equal(clears(), 0);
  await afterIdleWait();
  assert.equal(armed(), false, "nothing keeps the process alive");
  assert.equal(clears(), 1);
});

Deno.test("AlarmClock waits a bounded number of microtasks before it clears an idle timer", async () => {
  const { clock, armed } = countingClock();
  clock.cancel(clock.set(60_000, () => {}));
  for (let i = 0; i < IDLE_MICROTASKS + 2; i++) await Promise.resolve();
  assert.equal(armed(), false);
});

Deno.test("AlarmClock fires every due alarm even when one fire throws", async () => {
  const { clock } = countingClock();
  let second = false;
  clock.set(1, () => {
    throw new Error("listener failed");
  });
  await new Promise<void>((resolve) =>
    clock.set(1, () => {
      second = true;
      resolve();
    })
  );
  assert.ok(second);
  assert.equal(clock.size, 0);
});

Deno.test("AlarmClock does not fire a cancelled alarm", async () => {
  const { clock, armed } = countingClock();
  let fired = false;
  const alarm = clock.set(1, () => fired = true);
  clock.cancel(alarm);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(fired, false);
  assert.equal(armed(), false);
});

Deno.test("an unshared AlarmClock fires an alarm on its own timer and cancels it", async () => {
  const { clock: timers, sets, clears, armed } = countingClock(false);
  let cancelledFired = false;
  timers.cancel(timers.set(1, () => cancelledFired = true));
  await new Promise<void>((resolve) => timers.set(2, resolve));
  assert.equal(cancelledFired, false);
  assert.equal(sets(), 2, "one timer per alarm");
  assert.equal(clears(), 1);
  assert.equal(armed(), false, "no timer left");
});

Deno.test("timersAreShared() is true for Deno, Node.js and Bun user agents only", () => {
  assert.ok(timersAreShared("Deno/2.9.6", () => false));
  assert.ok(timersAreShared("Node.js/22", () => false));
  assert.ok(timersAreShared("Bun/1.2.0", () => false));
  assert.ok(!timersAreShared("Cloudflare-Workers", () => false));
  assert.ok(!timersAreShared(undefined, () => false));
  assert.ok(!timersAreShared("Mozilla/5.0", () => false));
});

Deno.test("timersAreShared() asks nodeLike() only without a user agent (Node 20)", () => {
  let asked = 0;
  const probe = (answer: boolean) => () => (asked++, answer);
  assert.ok(timersAreShared(undefined, probe(true)));
  assert.ok(!timersAreShared(undefined, probe(false)));
  assert.equal(asked, 2);
  // The user agent wins: Workers with Node.js compatibility are never asked (nor shared).
  assert.ok(!timersAreShared("Cloudflare-Workers", probe(true)));
  assert.ok(timersAreShared("Deno/2.9.6", probe(false)));
  assert.equal(asked, 2);
});

Deno.test("AlarmClock arms its timer for at most the longest timer delay", () => {
  const delays: number[] = [];
  const clock = new AlarmClock({
    now: () => 0,
    setTimer: (_fire, ms) => {
      delays.push(ms);
      return 0 as unknown as ReturnType<typeof setTimeout>;
    },
    clearTimer: () => {},
  });
  clock.set(MAX_TIMER_MS * 4, () => {});
  assert.deepEqual(delays, [MAX_TIMER_MS]);
});

Deno.test("AlarmClock.add() sets a cancelled alarm again at its own time", () => {
  for (const shared of [true, false]) {
    let t = 0;
    const timers: Array<{ fire: () => void; ms: number }> = [];
    const clock = new AlarmClock({
      shared,
      now: () => t,
      setTimer: (fire, ms) => (timers.push({ fire, ms }), timers.length as never),
      clearTimer: () => {},
    });
    let fired = 0;
    const alarm = clock.set(100, () => fired++);
    clock.cancel(alarm);
    t = 40;
    clock.add(alarm);
    // Own timers: a new one for the rest of its time; shared: the armed timer still fits.
    assert.equal(timers.at(-1)!.ms, shared ? 100 : 60, `shared ${shared}`);
    t = 100;
    timers.at(-1)!.fire();
    assert.equal(fired, 1, `shared ${shared}: fired at its own time`);
  }
});

Deno.test("AlarmClock.add() of an alarm whose time has passed fires at once", () => {
  let t = 0;
  const timers: Array<{ fire: () => void; ms: number }> = [];
  const clock = new AlarmClock({
    shared: false,
    now: () => t,
    setTimer: (fire, ms) => (timers.push({ fire, ms }), timers.length as never),
    clearTimer: () => {},
  });
  const alarm = clock.set(100, () => {});
  clock.cancel(alarm);
  t = 250;
  clock.add(alarm);
  assert.equal(timers.at(-1)!.ms, 0);
});
