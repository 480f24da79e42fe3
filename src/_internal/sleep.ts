import { onAbort } from "../middleware/_abort.ts";

/** Sleeps `ms` milliseconds; rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    // A longer timer would fire at once: wait the longest one (~24.8 days) instead.
    const timer = setTimeout(() => {
      unhook();
      resolve();
    }, Math.min(ms, 2_147_483_647));
    const unhook = onAbort(signal, () => {
      clearTimeout(timer);
      reject(signal!.reason);
    });
  });
}
