/**
 * timeout() takes ms options below 1: a totalTimeoutMs of 0.5 is a positive number of ms (0 is
 * not), and so is a timeoutMs of 0.5.
 */
import assert from "node:assert/strict";
import { timeout } from "../../src/middleware/timeout.ts";

Deno.test("timeout() takes a totalTimeoutMs or timeoutMs below 1 ms", () => {
  assert.equal(typeof timeout({ totalTimeoutMs: 0.5 }), "function");
  assert.equal(typeof timeout({ timeoutMs: 0.5 }), "function");
  assert.throws(() => timeout({ totalTimeoutMs: 0 }), TypeError);
});
