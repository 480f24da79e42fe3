// What a call that failed with no response keeps of rateLimit()'s requests budget: one whose
// transport failed (APIConnectionError, APIUserAbortError) may have reached the service and keeps
// its request; one whose layer failed before sending, whatever it threw (even null), gives it back
// and fails with what was thrown.
import assert from "node:assert/strict";
import { APIConnectionError, APIUserAbortError } from "../../src/errors/api_error.ts";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

for (
  const make of [() => new APIConnectionError("reset"), () => new APIUserAbortError("aborted")]
) {
  const name = make().constructor.name;
  Deno.test(`rateLimit(): a call whose transport failed with ${name} keeps its request`, async () => {
    // 6 requests a minute, 1 at once: one per 10 s.
    const { time, started, call } = rateLimitStack({ requestsPerMinute: 6 }, {
      answer: (id) => id === "a" ? Promise.reject(make()) : Promise.resolve(new Response("ok")),
    });
    const err = await state(call("a"));
    assert.equal((err as Error).constructor.name, name, "a fails with its transport's error");
    const b = call("b");
    assert.equal(await state(b), "pending", "a's request stays spent");
    await time.advance(10_000);
    assert.equal(await state(b), "resolved");
    assert.deepEqual(started, ["a", "b"]);
  });
}

Deno.test("rateLimit(): a call whose layer threw null before sending fails with null and gives back its request", async () => {
  const { started, call } = rateLimitStack({ requestsPerMinute: 6 }, {
    inner: () => [(ctx, next) =>
      (ctx.params as { id: string }).id === "a" ? Promise.reject(null) : next()],
  });
  assert.equal(await state(call("a")), null);
  assert.equal(await state(call("b")), "resolved", "a's request came back: b goes at once");
  assert.deepEqual(started, ["b"]);
});
