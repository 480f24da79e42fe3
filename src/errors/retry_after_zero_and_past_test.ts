import assert from "node:assert/strict";
import { parseRetryAfterMs } from "./retry_after.ts";

const now = Date.parse("2024-01-01T00:00:00Z");
const wait = (init: Record<string, string>) => parseRetryAfterMs(new Headers(init), now);

Deno.test("parseRetryAfterMs() reads `retry-after: 0` as no wait, not as no header", () => {
  assert.equal(wait({ "retry-after": "0" }), 0);
  assert.equal(wait({ "retry-after": "0.0" }), 0);
});

Deno.test("parseRetryAfterMs() reads a retry-after date already past as 0", () => {
  assert.equal(wait({ "retry-after": "Sun, 31 Dec 2023 23:59:00 GMT" }), 0);
  // Past by the response's own clock.
  assert.equal(
    wait({
      "retry-after": "Mon, 01 Jan 2024 00:00:00 GMT",
      date: "Mon, 01 Jan 2024 00:00:05 GMT",
    }),
    0,
  );
});

Deno.test("parseRetryAfterMs() reads a millisecond header of 1 (or less) as that wait", () => {
  assert.equal(wait({ "retry-after-ms": "1", "retry-after": "5" }), 1);
  assert.equal(wait({ "x-ms-retry-after-ms": "0.5" }), 0.5);
});
