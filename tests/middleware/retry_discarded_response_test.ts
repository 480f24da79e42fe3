/**
 * The response of an attempt retry() retries is discarded: its body is cancelled (freeing the
 * connection), and one without a body is retried as well.
 */
import assert from "node:assert/strict";
import { retry } from "../../src/middleware/retry.ts";
import { makeContext, recordingSleep } from "./_context.ts";

Deno.test("retry() cancels the body of a response it retries", async () => {
  const { sleep } = recordingSleep();
  let cancelled = 0;
  const body = new ReadableStream({ cancel: () => void cancelled++ });
  let n = 0;
  const res = await retry({ sleep })(
    makeContext(),
    () => Promise.resolve(n++ ? new Response("ok") : new Response(body, { status: 503 })),
  );
  assert.equal(await res.text(), "ok");
  assert.equal(cancelled, 1);
});

Deno.test("retry() retries a response without a body", async () => {
  const { sleep } = recordingSleep();
  let n = 0;
  const res = await retry({ sleep })(
    makeContext(),
    () => Promise.resolve(n++ ? new Response("ok") : new Response(null, { status: 503 })),
  );
  assert.equal(await res.text(), "ok");
  assert.equal(n, 2);
});
