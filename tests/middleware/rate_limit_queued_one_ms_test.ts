// rateLimit() tells an inner timeout() how long the call waited in its queue (to count against the
// first attempt and the total deadline), down to 1 ms; once the call is done the queued time is
// spent (a later attempt of a timeout() outside must not count it again).
import assert from "node:assert/strict";
import { QUEUED_MS_STATE_KEY } from "../../src/middleware/timeout.ts";
import type { Middleware } from "../../src/middleware/types.ts";
import { flush } from "./_virtual_time.ts";
import { gatedTerminal } from "./_context.ts";
import { rateLimitStack } from "./_rate_limit_stack.ts";

Deno.test("rateLimit(): a call queued 1 ms tells the layers inside it it waited 1 ms", async () => {
  const t = gatedTerminal();
  const seen: unknown[] = [];
  const spy: Middleware = (ctx, next) => (seen.push(ctx.state[QUEUED_MS_STATE_KEY]), next());
  const { time, call } = rateLimitStack({ maxConcurrent: 1 }, {
    inner: () => [spy],
    terminal: t.terminal,
  });
  const a = call("a");
  const b = call("b");
  await flush();
  await time.advance(1);
  t.finish("a");
  await a;
  await flush();
  assert.deepEqual(seen, [undefined, 1], "a went at once; b after 1 ms in the queue");
  t.finish("b");
  await b;
  assert.equal(b.ctx.state[QUEUED_MS_STATE_KEY], 0, "spent once the call is done");
});
