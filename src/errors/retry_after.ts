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
    const raw = headers.get(name);
    if (raw !== null && raw.trim() !== "") {
      const ms = Number(raw);
      if (Number.isFinite(ms) && ms >= 0) return ms;
    }
  }
  const raw = headers.get("retry-after");
  if (raw === null || raw.trim() === "") return undefined;
  const trimmed = raw.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
