/**
 * The three HTTP-date forms (RFC 9110: `Sun, 06 Nov 1994 08:49:37 GMT`, `Sunday, 06-Nov-94
 * 08:49:37 GMT`, `Sun Nov  6 08:49:37 1994`). `Date.parse` alone reads garbage such as `-1` or
 * `x 2099` as a date.
 */
const HTTP_DATE = /^[a-z]{3,9},? [\w -]+ \d\d:\d\d:\d\d( GMT| \d{4})$/i;

/**
 * Reads how long a response asks the caller to wait, in milliseconds, from
 * `retry-after-ms`, `x-ms-retry-after-ms` or `retry-after` (seconds or an HTTP date, measured
 * from the response's `date` header when it has one, else from `now`). A millisecond header of 0
 * gives way to another header's wait. A wait too long for a number is `Infinity`. Returns
 * `undefined` when no header says, or the value is unusable.
 *
 * @example Seconds and milliseconds headers
 * ```ts
 * import { parseRetryAfterMs } from "@aoai/edge";
 * console.log(parseRetryAfterMs(new Headers({ "retry-after": "3" }))); // 3000
 * console.log(parseRetryAfterMs(new Headers({ "retry-after-ms": "250" }))); // 250
 * ```
 */
export function parseRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  // Header values come trimmed; an empty one must not read as 0. A 0 beside another header's
  // wait (`retry-after-ms: 0`, `retry-after: 5`) gives way to it.
  let zero;
  for (const prefix of ["", "x-ms-"]) {
    const ms = +(headers.get(prefix + "retry-after-ms") || NaN);
    if (ms > 0) return ms;
    if (ms == 0) zero = 0;
  }
  // No header (null) matches neither form: NaN. A date is measured from the response's own
  // `date` when it has one: the server's clock, not this machine's, which may be off by more
  // than the wait.
  const raw = headers.get("retry-after")!;
  const ms = /^\d+(\.\d+)?$/.test(raw)
    ? Math.round(+raw * 1000)
    : HTTP_DATE.test(raw)
    ? Math.max(0, Date.parse(raw) - (Date.parse(headers.get("date")!) || now)) // NaN: no date
    : NaN;
  return ms >= 0 ? ms : zero;
}
