// quotaWindow() at the edges of the calendar: every window holds the time it was asked for.
import assert from "node:assert/strict";
import { quotaWindow, type TokenQuotaPeriod } from "../../edge/mod.ts";

const PERIODS: TokenQuotaPeriod[] = ["hour", "day", "week", "month"];

Deno.test("quotaWindow(): the month of a year 0 to 99 is that year's (Date.UTC would read 1900 + year)", () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  const { start, end } = quotaWindow("month", Date.parse("0050-06-15T12:00:00.000Z"));
  assert.deepEqual([iso(start), iso(end)], [
    "0050-06-01T00:00:00.000Z",
    "0050-07-01T00:00:00.000Z",
  ]);
  assert.equal(
    iso(quotaWindow("month", Date.parse("0099-12-31T23:00:00.000Z")).end),
    "0100-01-01T00:00:00.000Z",
  );
});

Deno.test("quotaWindow(): every window holds its time, from year 1 to far in the future", () => {
  for (
    const at of [
      "0001-01-01T00:00:00.000Z",
      "0000-02-29T23:59:59.999Z",
      "1970-01-01T00:00:00.000Z",
      "2100-02-28T23:59:59.999Z", // not a leap year
      "9999-12-31T23:59:59.999Z",
      "+100000-02-29T12:00:00.000Z",
    ]
  ) {
    const time = Date.parse(at);
    for (const period of PERIODS) {
      const { start, end } = quotaWindow(period, time);
      assert.ok(start <= time && time < end, `${period} of ${at}`);
    }
  }
});
