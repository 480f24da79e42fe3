/**
 * A connection error thrown after the caller's signal aborted is not retried: the call ends with it
 * at once, without a wait or another attempt.
 */
import assert from "node:assert/strict";
import { retry } from "../../src/middleware/retry.ts";
import { APIConnectionError } from "../../src/errors/api_error.ts";
import { makeContext, recordingSleep } from "./_context.ts";

Deno.test("retry() does not retry a connection error once the caller's signal aborted", async () => {
  const { waits, sleep } = recordingSleep();
  const controller = new AbortController();
  let n = 0;
  const failure = new APIConnectionError("connection reset");
  await assert.rejects(
    retry({ sleep })(makeContext({ signal: controller.signal }), () => {
      n++;
      controller.abort();
      return Promise.reject(failure);
    }),
    (err) => err === failure,
  );
  assert.equal(n, 1);
  assert.deepEqual(waits, []);
});
