/**
 * Per-attempt deadlines on one shared timer. In Deno, a `setTimeout`/`clearTimeout` pair around
 * a local request costs ~10–25 µs of event-loop work (measured, see bench/README.md), more than
 * the rest of `timeout()`. The clock keeps one timer armed for the earliest deadline; a call
 * that ends only removes its alarm, and the timer is cleared once no alarm is left a few
 * microtasks later (so back-to-back calls reuse it, and nothing keeps the process alive).
 *
 * Only where timers are not bound to the request that created them: Cloudflare Workers refuse to
 * clear a timer made by another request (and drop a request's timers when it ends), so there and
 * on unknown runtimes every alarm gets its own timer.
 *
 * @module
 */

/** A deadline: `fire` runs once when `at` (performance.now() ms) has passed. */
export interface Alarm {
  readonly at: number;
  readonly fire: () => void;
  /** The alarm's own timer, on a clock whose timers are not shared. */
  timer?: ReturnType<typeof setTimeout>;
}

/** How many microtasks an idle clock waits for the next call before clearing its timer. */
export const IDLE_MICROTASKS = 16;

/** Longest delay timers take (2^31 - 1 ms, ~24.8 days); longer ones would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Deadlines within this many ms of the timer's firing count as due (timers round to 1 ms). */
const SLACK_MS = 1;

/** Options of {@link AlarmClock}; all but `shared` are for tests. */
export interface AlarmClockOptions {
  /** One timer for all alarms (default), or one per alarm (runtimes that bind timers to a request). */
  shared?: boolean;
  now?: () => number;
  setTimer?: (fire: () => void, ms: number) => ReturnType<typeof setTimeout>;
  clearTimer?: (timer: ReturnType<typeof setTimeout>) => void;
}

/** One timer for many alarms (or, unshared, one per alarm). */
export class AlarmClock {
  #alarms = new Set<Alarm>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedAt = Infinity;
  /** Microtasks left before an idle clock clears its timer (0: not waiting). */
  #idle = 0;
  readonly #shared: boolean;
  readonly #now: () => number;
  readonly #setTimer: (fire: () => void, ms: number) => ReturnType<typeof setTimeout>;
  readonly #clearTimer: (timer: ReturnType<typeof setTimeout>) => void;

  /** A clock (defaults: shared, performance.now, setTimeout, clearTimeout). */
  constructor({
    shared = true,
    now = () => performance.now(),
    setTimer = (fire, ms) => setTimeout(fire, ms),
    clearTimer = (timer) => clearTimeout(timer),
  }: AlarmClockOptions = {}) {
    this.#shared = shared;
    this.#now = now;
    this.#setTimer = setTimer;
    this.#clearTimer = clearTimer;
  }

  /** How many alarms are pending on the shared timer. */
  get size(): number {
    return this.#alarms.size;
  }

  /** Sets an alarm `ms` from now that calls `fire`; returns it for {@link cancel}. */
  set(ms: number, fire: () => void): Alarm {
    return this.add({ at: this.#now() + ms, fire });
  }

  /** Sets `alarm` again after a {@link cancel} (at its own time: at once when that has passed). */
  add(alarm: Alarm): Alarm {
    if (!this.#shared) {
      alarm.timer = this.#setTimer(alarm.fire, Math.max(0, alarm.at - this.#now()));
    } else if (this.#alarms.add(alarm) && alarm.at < this.#armedAt) this.#arm(alarm.at);
    return alarm;
  }

  /** Cancels an alarm (no-op when it fired already). */
  cancel(alarm: Alarm): void {
    if (alarm.timer !== undefined) this.#clearTimer(alarm.timer);
    else if (this.#alarms.delete(alarm) && !this.#alarms.size && !this.#idle) {
      this.#idle = IDLE_MICROTASKS;
      queueMicrotask(this.#waitIdle);
    }
  }

  /** Clears the timer unless an alarm is set within {@link IDLE_MICROTASKS} microtasks. */
  #waitIdle = (): void => {
    if (this.#alarms.size) this.#idle = 0;
    else if (--this.#idle) queueMicrotask(this.#waitIdle);
    else this.#arm(Infinity);
  };

  /** (Re-)arms the timer for `at`; `Infinity` clears it. */
  #arm(at: number): void {
    if (this.#timer !== undefined) this.#clearTimer(this.#timer);
    this.#armedAt = at;
    this.#timer = at < Infinity
      ? this.#setTimer(this.#ring, Math.min(MAX_TIMER_MS, Math.max(0, at - this.#now())))
      : undefined;
  }

  #ring = (): void => {
    this.#timer = undefined;
    this.#armedAt = Infinity;
    const due = this.#now() + SLACK_MS;
    let earliest = Infinity;
    for (const alarm of this.#alarms) {
      if (alarm.at > due) earliest = Math.min(earliest, alarm.at);
      else {
        this.#alarms.delete(alarm);
        try {
          alarm.fire();
        } catch {
          // One failing alarm must not keep the others from firing.
        }
      }
    }
    if (earliest < this.#armedAt) this.#arm(earliest);
  };
}

/**
 * True on runtimes whose timers any code may clear (Deno, Node.js, Bun), told by
 * `navigator.userAgent`. Node.js before 21 has no `navigator`: `nodeLike()` is asked then (Node's
 * timers are objects; Cloudflare Workers, whose timers belong to one request, always have a user
 * agent, even with Node.js compatibility).
 */
export function timersAreShared(userAgent: string | undefined, nodeLike: () => boolean): boolean {
  return userAgent === undefined ? nodeLike() : /^(Deno|Node\.js|Bun)\//.test(userAgent);
}

/** The alarms of this runtime: one shared clock where timers may be shared, else own timers. */
export const ALARMS: AlarmClock = new AlarmClock({
  // Without a user agent: Node.js-like when `setTimeout` returns an object, not a number.
  shared: timersAreShared(globalThis.navigator?.userAgent, () => {
    const timer = setTimeout(() => {});
    clearTimeout(timer);
    return typeof timer === "object";
  }),
});
