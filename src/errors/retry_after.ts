/**
 * Reads how long a response asks the caller to wait, in milliseconds, from
 * `retry-after-ms`, `x-ms-retry-after-ms` or `retry-after` (seconds or an HTTP date).
 * Returns `undefined` when no header says, or the value is unusable.
 *
 * @example Seconds and milliseconds headers
 * ```ts
 * import { parseRetryAfterMs } from "@aoai/edge";
 * console.log(parseRetryAfterMs(new Headers({ "retry-after": "3" }))); // 3000
 * console.log(parseRetryAfterMs(new Headers({ "retry-after-ms": "250" }))); // 250
 * ```
 */
export function parseRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const ms = Number(headers.get(name)?.trim() || NaN);
    if (ms >= 0 && ms < Infinity) return ms;
  }
  const raw = headers.get("retry-after")?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
