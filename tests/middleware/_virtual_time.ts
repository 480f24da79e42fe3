// A virtual clock for the middleware's injectable `now` / `sleep` options: no real waiting.

/** Lets queued promise callbacks run (20 microtask turns). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/**
 * A virtual clock: `sleep()` resolves when `advance()` passes its due time, rejects at once with
 * an aborted signal's reason, and records every wait it was asked for in `waits`.
 */
export function virtualTime() {
  let now = 0;
  const timers = new Set<{ due: number; resolve: () => void }>();
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      waits.push(ms);
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise((resolve, reject) => {
        const timer = { due: now + ms, resolve };
        timers.add(timer);
        signal?.addEventListener("abort", () => {
          timers.delete(timer);
          reject(signal.reason);
        }, { once: true });
      });
    },
    /** Moves the clock on and resolves the sleeps now due, then flushes. */
    async advance(ms: number) {
      now += ms;
      for (const t of [...timers].filter((t) => t.due <= now)) {
        timers.delete(t);
        t.resolve();
      }
      await flush();
    },
    /** Sleeps not yet due. */
    pending: () => timers.size,
  };
}
