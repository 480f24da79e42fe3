/**
 * A ms option of retry() or timeout() holding a string is refused with the string quoted, so
 * "30000" from an environment variable reads as the string it is, and a long one (a key or token
 * pasted there by mistake) is not shown at all: the rule the client's own count options follow.
 */
import assert from "node:assert/strict";
import { retry } from "../../src/middleware/retry.ts";
import { timeout } from "../../src/middleware/timeout.ts";

const KEY = "0123456789abcdef0123456789abcdef";
const TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2lnbmF0dXJl";

/** Each ms option with the factory that checks it. */
const OPTIONS: [string, (value: unknown) => unknown][] = [
  ...["baseDelayMs", "maxDelayMs", "maxRetryAfterMs"].map((name) =>
    [`retry(): ${name}`, (value: unknown) => retry({ [name]: value })] as [
      string,
      (value: unknown) => unknown,
    ]
  ),
  ["timeout(): timeoutMs", (value: unknown) => timeout({ timeoutMs: value as number })],
];

Deno.test("retry() / timeout() refuse a ms option holding a key or token without showing it", () => {
  for (const [name, make] of OPTIONS) {
    for (const secret of [KEY, TOKEN]) {
      assert.throws(() => make(secret), (err: Error) => {
        assert.ok(err instanceof TypeError, name);
        assert.ok(err.message.startsWith(name), err.message);
        assert.match(err.message, /; got "\*\*\*"$/, name);
        assert.ok(!err.message.includes(secret.slice(0, 12)), `${name}: ${err.message}`);
        return true;
      });
    }
  }
});

Deno.test("retry() / timeout() quote a ms option given as a short string", () => {
  for (const [name, make] of OPTIONS) {
    assert.throws(() => make("30000"), (err: Error) => {
      assert.ok(err.message.startsWith(name), err.message);
      assert.match(err.message, /; got "30000"$/, name);
      return true;
    });
    assert.throws(() => make(""), /; got ""$/, name);
    // Numbers read as before.
    assert.throws(() => make(-1), /; got -1$/, name);
    assert.throws(() => make(NaN), /; got NaN$/, name);
  }
});
