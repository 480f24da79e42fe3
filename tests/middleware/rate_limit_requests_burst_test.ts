// The requests budget set lets its burst go at once: at 12 requests a minute with the default 10 s
// burst, 2 calls go at once and the third waits 5 s for the refill of one request.
import assert from "node:assert/strict";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

Deno.test("rateLimit(): 12 requests a minute: 2 calls go at once, the third 5 s later", async () => {
  const { time, started, call } = rateLimitStack({ requestsPerMinute: 12 });
  assert.equal(await state(call("a")), "resolved");
  assert.equal(await state(call("b")), "resolved", "the second request of the burst goes at once");
  const c = call("c");
  await time.advance(4_999);
  assert.equal(await state(c), "pending");
  await time.advance(1);
  assert.equal(await state(c), "resolved");
  assert.deepEqual(started, ["a", "b", "c"]);
});
