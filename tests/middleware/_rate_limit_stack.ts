// rateLimit() over inner layers and a terminal, on a virtual clock, for the rate limit tests.
import assert from "node:assert/strict";
import { compose } from "../../src/middleware/compose.ts";
import { rateLimit, type RateLimitOptions } from "../../src/middleware/rate_limit.ts";
import type { Middleware, MiddlewareContext, Terminal } from "../../src/middleware/types.ts";
import { makeContext } from "./_context.ts";
import { flush, virtualTime } from "./_virtual_time.ts";

/** Settles to the error, or to "pending" / "resolved". */
export function state(promise: Promise<unknown>): Promise<unknown> {
  let settled: unknown = "pending";
  promise.then(() => settled = "resolved", (err) => settled = err);
  return flush().then(() => settled);
}

/** The layers and terminal under rateLimit(); all optional. */
export interface StackParts {
  /** Layers inside rateLimit(), given the clock (default: none). */
  inner?: (time: ReturnType<typeof virtualTime>) => Middleware[];
  /** Answers a call by its id (default: "ok" at once); `started` records each id it gets. */
  answer?: (id: string, ctx: MiddlewareContext) => Promise<Response>;
  /** The terminal, in place of the one `answer` makes. */
  terminal?: Terminal;
}

/**
 * rateLimit() on a virtual clock over `parts`. `call(id, extra)` runs a call with params `{ id }`
 * (maxRetries 0, no timeoutMs of its own, unless `extra` says otherwise); it resolves once the
 * body was read (its `ctx` is the call's context) and never leaves an unhandled rejection.
 */
export function rateLimitStack(options: RateLimitOptions, parts: StackParts = {}) {
  const time = virtualTime();
  const started: string[] = [];
  const answer = parts.answer ?? (() => Promise.resolve(new Response("ok")));
  const terminal = parts.terminal ?? ((ctx) => {
    const id = String((ctx.params as { id: string }).id);
    started.push(id);
    return answer(id, ctx);
  });
  const run = compose(
    [rateLimit({ now: time.now, sleep: time.sleep, ...options }), ...parts.inner?.(time) ?? []],
    terminal,
  );
  const call = (id: string, extra: Partial<MiddlewareContext> = {}) => {
    const ctx = makeContext({ params: { id }, options: { timeoutMs: 0, maxRetries: 0 }, ...extra });
    const result = run(ctx).then(async (res) => new Response(await res.arrayBuffer(), res));
    result.catch(() => {}); // the tests read it later
    return Object.assign(result, { ctx });
  };
  return { time, started, call };
}

/**
 * `a` goes at once; `b` waits 10 s in the queue and is refused, never sent; `c` then goes at once,
 * as what `b` took went back. Resolves with `b`'s error.
 */
export async function refusedAndRefunded(stack: ReturnType<typeof rateLimitStack>) {
  const { time, started, call } = stack;
  assert.equal(await state(call("a")), "resolved");
  const b = call("b");
  await time.advance(10_000);
  const err = await state(b);
  assert.deepEqual(started, ["a"], "b was never sent");
  assert.equal(await state(call("c")), "resolved", "what b took went back: c goes at once");
  assert.deepEqual(started, ["a", "c"]);
  return err;
}
