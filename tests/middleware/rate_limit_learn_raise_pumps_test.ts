// A budget rateLimit() learned from what remained is raised as more remains later; a call queued
// for that budget goes by the raised budget as soon as the response that raised it came, even while
// that response's body is still open (a stream: its slot is not released yet).
import assert from "node:assert/strict";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

Deno.test("rateLimit(): a queued call goes by a learned requests budget raised by a response whose body is still open", async () => {
  let answerB: (res: Response) => void = () => {};
  const { time, started, call } = rateLimitStack({}, {
    answer: (id) => {
      if (id === "a") {
        // 6 a minute learned, 1 at once: one request per 10 s.
        return Promise.resolve(
          new Response("ok", { headers: { "x-ratelimit-remaining-requests": "6" } }),
        );
      }
      if (id === "b") return new Promise((resolve) => answerB = resolve);
      return Promise.resolve(new Response("ok"));
    },
  });
  assert.equal(await state(call("a")), "resolved");
  call("b"); // takes the one request there was
  const c = call("c"); // waits 10 s for the next
  assert.equal(await state(c), "pending");
  const open = new ReadableStream({ start: (s) => s.enqueue(new Uint8Array(1)) }); // never ends
  answerB(new Response(open, { headers: { "x-ratelimit-remaining-requests": "600" } }));
  assert.equal(await state(c), "pending");
  await time.advance(99);
  assert.equal(await state(c), "pending", "600 a minute: the next request in 100 ms");
  await time.advance(1);
  assert.equal(await state(c), "resolved", "c went at 100 ms, not at 10 s");
  assert.deepEqual(started, ["a", "b", "c"]);
});
