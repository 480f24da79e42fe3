/**
 * retry()'s count: maxRetries 1 retries once; 0 retries nothing and leaves the request a layer
 * outside set as it is (also below 0, from a context built by hand) (its streamed body is not read ahead to be sent again).
 */
import assert from "node:assert/strict";
import { retry } from "../../src/middleware/retry.ts";
import { makeContext, recordingSleep } from "./_context.ts";

const unavailable = () => new Response(null, { status: 503 });

Deno.test("retry() with maxRetries 1 sends a second attempt", async () => {
  const { sleep } = recordingSleep();
  let n = 0;
  const res = await retry({ sleep, maxRetries: 1 })(
    makeContext(),
    () => Promise.resolve(n++ ? new Response("ok") : unavailable()),
  );
  assert.equal(await res.text(), "ok");
  assert.equal(n, 2);
});

Deno.test("retry() with maxRetries 0 sends the request a layer set as it is", async () => {
  // -1: a context built by hand (retry()'s own option refuses it).
  for (const maxRetries of [0, -1]) {
    const { sleep } = recordingSleep();
    const request = new Request("https://x.test/p", {
      method: "POST",
      body: new ReadableStream({ start: (c) => (c.enqueue(new Uint8Array([1])), c.close()) }),
      duplex: "half",
    } as RequestInit);
    const ctx = makeContext({ request, options: { timeoutMs: 0, maxRetries } });
    const seen: Request[] = [];
    const res = await retry({ sleep })(ctx, () => {
      seen.push(ctx.request);
      return Promise.resolve(unavailable());
    });
    assert.equal(res.status, 503);
    assert.equal(seen.length, 1);
    assert.equal(seen[0], request, `maxRetries ${maxRetries}: the same request`);
    assert.equal(request.bodyUsed, false, `maxRetries ${maxRetries}: its body unread`);
  }
});
