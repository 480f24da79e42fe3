// rateLimit()'s queue is first in, first out per deployment: a call held by its deployment's
// learned tokens budget holds the later calls to that deployment, even one that would fit (0
// tokens), while calls to other deployments pass it.
import assert from "node:assert/strict";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

Deno.test("rateLimit(): a call of 0 tokens waits behind an earlier call to its deployment held by the deployment's tokens budget", async () => {
  const { time, started, call } = rateLimitStack({
    estimateTokens: (params) => (params as { cost: number }).cost,
  }, {
    answer: (id) =>
      Promise.resolve(
        // 600 tokens a minute: 100 at once, 10 a second.
        new Response("ok", { headers: id === "a" ? { "x-ratelimit-limit-tokens": "600" } : {} }),
      ),
  });
  const to = (id: string, cost: number, deployment = "d") =>
    call(id, { params: { id, cost }, deployment });
  assert.equal(await state(to("a", 0)), "resolved");
  assert.equal(await state(to("all", 100)), "resolved", "takes the 100 tokens there were");
  const b = to("b", 100); // waits 10 s
  const c = to("c", 0); // fits, but b was first
  const other = to("other", 0, "e");
  assert.equal(await state(other), "resolved", "another deployment's call passes");
  assert.equal(await state(c), "pending", "c waits for b");
  await time.advance(10_000);
  assert.equal(await state(b), "resolved");
  assert.equal(await state(c), "resolved");
  assert.deepEqual(started, ["a", "all", "other", "b", "c"]);
});
