/**
 * retry()'s non-ms options read as given: a statuses list holding strings ("429" split from an
 * environment variable) never matched a response's numeric status, so nothing was retried, and a
 * retryConnectionErrors of "false" read as true. Both are refused when retry() is made, a long
 * string (a key pasted there by mistake) masked.
 */
import assert from "node:assert/strict";
import { retry, type RetryOptions } from "../../src/middleware/retry.ts";

const KEY = "0123456789abcdef0123456789abcdef";
const make = (options: Record<string, unknown>) => () => retry(options as RetryOptions);

Deno.test("retry() refuses a statuses list holding anything but status numbers", () => {
  assert.throws(make({ statuses: ["429", "503"] }), (err: Error) => {
    assert.ok(err instanceof TypeError);
    assert.match(err.message, /^retry\(\): each of statuses must be .*; got "429"$/);
    return true;
  });
  assert.throws(make({ statuses: [503, NaN] }), /retry\(\): each of statuses .*; got NaN$/);
  assert.throws(make({ statuses: [429, null] }), /retry\(\): each of statuses .*; got null$/);
  assert.throws(make({ statuses: [KEY] }), (err: Error) => {
    assert.match(err.message, /; got "\*\*\*"$/);
    assert.ok(!err.message.includes(KEY.slice(0, 12)), err.message);
    return true;
  });
  // A string (the variable itself) is no list of statuses.
  assert.throws(make({ statuses: "429,503" }), TypeError);
  // Lists of numbers, the empty one too (retry connection errors only), are taken as before.
  retry({ statuses: [429, 503] });
  retry({ statuses: [] });
});

Deno.test("retry() refuses a retryConnectionErrors that is not a boolean", () => {
  for (const value of ["false", 0, "true"]) {
    assert.throws(make({ retryConnectionErrors: value }), (err: Error) => {
      assert.ok(err instanceof TypeError);
      assert.match(err.message, /^retry\(\): retryConnectionErrors must be a boolean/);
      return true;
    }, String(value));
  }
  retry({ retryConnectionErrors: false });
  retry({ retryConnectionErrors: true });
});
