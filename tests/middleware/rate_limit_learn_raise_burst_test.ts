// A requests budget rateLimit() learned from what remained, raised as more remains later, lets its
// new burst go at once: raised to 600 a minute with the default 10 s burst, 100 calls go at once
// once it refilled, the 101st 100 ms later.
import assert from "node:assert/strict";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

Deno.test("rateLimit(): a learned requests budget raised to 600 a minute lets a burst of 100 go", async () => {
  const { time, call } = rateLimitStack({}, {
    answer: (id) =>
      Promise.resolve(
        new Response("ok", {
          headers: id === "a"
            ? { "x-ratelimit-remaining-requests": "6" } // learned: 6 a minute
            : id === "b"
            ? { "x-ratelimit-remaining-requests": "600" } // raised: 600 a minute
            : {},
        }),
      ),
  });
  assert.equal(await state(call("a")), "resolved");
  assert.equal(await state(call("b")), "resolved");
  await time.advance(60_000); // refilled
  const calls = Array.from({ length: 101 }, (_, i) => call(`c${i}`));
  for (const c of calls.slice(0, 100)) assert.equal(await state(c), "resolved");
  assert.equal(await state(calls[100]), "pending", "the 101st waits for the refill");
  await time.advance(100);
  assert.equal(await state(calls[100]), "resolved");
});
