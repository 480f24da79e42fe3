// A call that meets a queue in rateLimit() but goes at once (the calls queued wait for another
// deployment's pause) leaves no abort listener on its signal: a long-lived signal shared by many
// calls would otherwise keep one per call.
import assert from "node:assert/strict";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

/** An AbortSignal that tracks the listeners added to it and not removed. */
function trackedSignal() {
  const signal = new AbortController().signal;
  const listeners = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (...args: Parameters<typeof add>) => {
    listeners.add(args[1]);
    add(...args);
  };
  signal.removeEventListener = (...args: Parameters<typeof remove>) => {
    listeners.delete(args[1]);
    remove(...args);
  };
  return { signal, listeners: () => listeners.size };
}

Deno.test("rateLimit(): a call that passes the calls queued for another deployment leaves no listener on its signal", async () => {
  const { time, started, call } = rateLimitStack({}, {
    answer: (id) =>
      Promise.resolve(
        id === "p"
          ? new Response("busy", { status: 429, headers: { "retry-after": "1" } })
          : new Response("ok"),
      ),
  });
  assert.equal(await state(call("p", { deployment: "d1" })), "resolved"); // pauses d1 for 1 s
  const held = call("held", { deployment: "d1" });
  const { signal, listeners } = trackedSignal();
  const other = call("other", { deployment: "d2", signal });
  assert.equal(await state(other), "resolved", "d2's call passed d1's");
  assert.equal(await state(held), "pending");
  assert.equal(listeners(), 0, "no listener left on the passing call's signal");
  await time.advance(1_000);
  assert.equal(await state(held), "resolved");
  assert.deepEqual(started, ["p", "other", "held"]);
});
