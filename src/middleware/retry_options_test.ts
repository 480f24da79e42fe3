import assert from "node:assert/strict";
import { retry } from "./retry.ts";

Deno.test("retry() refuses a maxRetries that is not a non-negative integer (NaN retried forever)", () => {
  for (const maxRetries of [NaN, -1, 1.5, Infinity]) {
    assert.throws(() => retry({ maxRetries }), (err: unknown) => {
      assert.ok(err instanceof TypeError);
      assert.match(err.message, /^retry\(\): maxRetries must be a non-negative integer/);
      return true;
    }, String(maxRetries));
  }
  retry({ maxRetries: 0 });
  retry({ maxRetries: 5 });
});

Deno.test("retry() refuses delays that are not numbers of milliseconds ≥ 0", () => {
  for (const name of ["baseDelayMs", "maxDelayMs", "maxRetryAfterMs"] as const) {
    for (const value of [NaN, -1, "5" as unknown as number]) {
      assert.throws(() => retry({ [name]: value }), (err: unknown) => {
        assert.ok(err instanceof TypeError);
        assert.match(err.message, new RegExp(`^retry\\(\\): ${name} must be`));
        return true;
      }, `${name} ${String(value)}`);
    }
    // No upper bound: Infinity waits as long as the service asks.
    retry({ [name]: Infinity });
    retry({ [name]: 0 });
  }
});
