// rateLimit() refuses, when it is made, a requestsPerMinute, burstSeconds or maxQueue that is not
// a positive number (0, negative, NaN, a numeric string), with a TypeError naming the option.
import assert from "node:assert/strict";
import { rateLimit, type RateLimitOptions } from "../../src/middleware/rate_limit.ts";

for (const name of ["requestsPerMinute", "burstSeconds", "maxQueue"] as const) {
  Deno.test(`rateLimit() refuses a ${name} that is not a positive number`, () => {
    for (const value of [0, -1, NaN, "10"]) {
      assert.throws(
        () => rateLimit({ [name]: value } as RateLimitOptions),
        (err) =>
          err instanceof TypeError &&
          err.message === `rateLimit(): ${name} must be a positive number`,
        `${name}: ${String(value)}`,
      );
    }
    rateLimit({ [name]: 0.5 }); // a positive number is fine
  });
}
