// rateLimit() keeps one timer to pump its queue again, at the earliest time a queued call may go:
// a call that may go sooner than the timer re-arms it earlier (the later one cancelled), and
// calls that may go no sooner leave it as it is (no new timer each).
import assert from "node:assert/strict";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

Deno.test("rateLimit(): a call that may go sooner than the queue's timer moves it earlier, and the later timer goes", async () => {
  const { time, started, call } = rateLimitStack({
    tokensPerMinute: 600, // 100 at once, 10 a second
    estimateTokens: (params) => (params as { cost: number }).cost,
  }, {
    answer: (id) =>
      Promise.resolve(
        id === "p"
          ? new Response("busy", { status: 429, headers: { "retry-after": "10" } })
          : new Response("ok"),
      ),
  });
  const to = (id: string, cost: number, deployment: string) =>
    call(id, { params: { id, cost }, deployment });
  assert.equal(await state(to("p", 0, "d1")), "resolved"); // pauses d1 for 10 s
  const x = to("x", 0, "d1"); // the timer: at 10 s
  assert.equal(await state(to("a", 100, "d2")), "resolved"); // all the tokens
  const y = to("y", 10, "d2"); // 10 tokens in 1 s
  assert.equal(await state(y), "pending");
  assert.equal(time.pending(), 1, "one timer: the 10 s one was cancelled");
  await time.advance(1_000);
  assert.equal(await state(y), "resolved", "y went at 1 s, not at 10 s");
  assert.equal(await state(x), "pending");
  await time.advance(9_000);
  assert.equal(await state(x), "resolved");
  assert.deepEqual(started, ["p", "a", "y", "x"]);
});

Deno.test("rateLimit(): calls queued behind one waiting for the refill add no timer", async () => {
  // 6 requests a minute, 1 at once: one every 10 s.
  const { time, call } = rateLimitStack({ requestsPerMinute: 6 });
  assert.equal(await state(call("a")), "resolved");
  const queued = ["b", "c", "d"].map((id) => call(id));
  assert.equal(await state(queued[2]), "pending");
  assert.deepEqual(time.waits, [10_000], "one timer asked for, at the refill");
  await time.advance(10_000);
  assert.equal(await state(queued[0]), "resolved");
  assert.equal(time.pending(), 1, "one timer: the next refill");
});

Deno.test("rateLimit(): after the queue emptied (its timer cancelled), a call queued for the refill gets a timer again", async () => {
  // 6 requests a minute, 1 at once: one every 10 s.
  const { time, call } = rateLimitStack({ requestsPerMinute: 6 });
  assert.equal(await state(call("a")), "resolved");
  const caller = new AbortController();
  const b = call("b", { signal: caller.signal });
  assert.equal(await state(b), "pending");
  caller.abort(); // the queue empties: its timer goes
  assert.notEqual(await state(b), "pending");
  assert.equal(time.pending(), 0);
  const c = call("c");
  await time.advance(10_000);
  assert.equal(await state(c), "resolved", "c went at the refill");
});
