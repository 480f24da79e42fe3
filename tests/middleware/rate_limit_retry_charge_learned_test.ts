// rateLimit() over retry(), with no budget set: a retried attempt is charged to the budget the
// deployment's responses taught (as Azure counts it), and what an attempt's response tells (a
// deployment with nothing left) is learned as it comes, whatever the attempts before it said.
import assert from "node:assert/strict";
import { compose } from "../../src/middleware/compose.ts";
import { rateLimit } from "../../src/middleware/rate_limit.ts";
import { retry } from "../../src/middleware/retry.ts";
import type { Terminal } from "../../src/middleware/types.ts";
import { makeContext } from "./_context.ts";
import { virtualTime } from "./_virtual_time.ts";
import { state } from "./_rate_limit_stack.ts";

type Answer = [status: number, headers?: Record<string, string>];

/** Call `id`'s attempts get `answers[id]` in turn (then a bare 200); retry() inside rateLimit(). */
function setup(answers: Record<string, Answer[]>) {
  const time = virtualTime();
  const started: string[] = [];
  const terminal: Terminal = (ctx) => {
    const id = String((ctx.params as { id: string }).id);
    started.push(`${id}${ctx.attempt}`);
    const [status, headers] = answers[id]?.[ctx.attempt - 1] ?? [200];
    return Promise.resolve(new Response("{}", { status, headers }));
  };
  const run = compose(
    [rateLimit(time), retry({ maxRetries: 2, sleep: () => Promise.resolve() })],
    terminal,
  );
  const call = (id: string) =>
    run(makeContext({ params: { id }, options: { timeoutMs: 0, maxRetries: 2 } }));
  return { time, started, call };
}

const nothingLeft = {
  "x-ratelimit-remaining-requests": "0",
  "x-ratelimit-reset-requests": "5s",
};

Deno.test("rateLimit() over retry(): a retried attempt takes a request of the budget the deployment's first attempt sent", async () => {
  // 6 a minute, 1 at once: one request per 10 s.
  const { time, started, call } = setup({ a: [[500, { "x-ratelimit-limit-requests": "6" }]] });
  assert.equal((await call("a")).status, 200);
  assert.deepEqual(started, ["a1", "a2"]);
  const b = call("b");
  await time.advance(9_999);
  assert.equal(await state(b), "pending", "a's second attempt took the one request there was");
  await time.advance(1);
  assert.equal(await state(b), "resolved");
  assert.deepEqual(started, ["a1", "a2", "b1"]);
});

Deno.test("rateLimit() over retry(): nothing left, said by a middle attempt of a call nothing was learned of, pauses the deployment", async () => {
  const { time, started, call } = setup({ a: [[500], [500, nothingLeft]] });
  assert.equal((await call("a")).status, 200);
  assert.deepEqual(started, ["a1", "a2", "a3"]);
  const b = call("b");
  await time.advance(4_999);
  assert.equal(await state(b), "pending", "paused 5 s by a2's reset");
  await time.advance(1);
  assert.equal(await state(b), "resolved");
});

Deno.test("rateLimit() over retry(): nothing left, said by a middle attempt after one taught a tokens budget only, pauses the deployment", async () => {
  const { time, call } = setup({
    a: [[500, { "x-ratelimit-remaining-tokens": "100000" }], [500, nothingLeft]],
  });
  assert.equal((await call("a")).status, 200);
  const b = call("b");
  await time.advance(4_999);
  assert.equal(await state(b), "pending", "paused 5 s by a2's reset");
  await time.advance(1);
  assert.equal(await state(b), "resolved");
});
