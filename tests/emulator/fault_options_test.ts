import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";

Deno.test("createEmulator() refuses an errorRate outside 0..1, naming the option and range", () => {
  for (const errorRate of [2, -0.1, NaN, Infinity]) {
    assert.throws(
      () => createEmulator({ faults: { errorRate } }),
      (err: unknown) =>
        err instanceof TypeError &&
        /options\.faults\.errorRate must be a number from 0 to 1, got /.test(err.message),
      String(errorRate),
    );
  }
  for (const errorRate of [0, 0.25, 1]) createEmulator({ faults: { errorRate } });
});

Deno.test("createEmulator() refuses an errorStatus that is not a 4xx or 5xx status", () => {
  for (const errorStatus of [200, 99, 600, 500.5, NaN]) {
    assert.throws(
      () => createEmulator({ faults: { errorRate: 1, errorStatus } }),
      (err: unknown) =>
        err instanceof TypeError &&
        /options\.faults\.errorStatus must be a whole number from 400 to 599/.test(err.message),
      String(errorStatus),
    );
  }
  for (const errorStatus of [400, 429, 503, 599]) createEmulator({ faults: { errorStatus } });
});
