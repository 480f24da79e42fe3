/** cache() and rateLimit() together: the order decides whether cache hits spend the budget. */
import assert from "node:assert/strict";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { rateLimit } from "../../src/middleware/rate_limit.ts";
import type { Middleware } from "../../src/middleware/types.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { makeContext } from "./_context.ts";

const URL_ =
  "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21";

/** An embeddings service that counts its calls. */
function service() {
  const seen = { calls: 0 };
  const terminal = async (ctx: { request: Request }) => {
    seen.calls++;
    const body = await ctx.request.json();
    return Response.json({
      object: "list",
      data: body.input.map((_: unknown, index: number) => ({
        object: "embedding",
        index,
        embedding: [index, 0.5],
      })),
      model: "m",
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
  };
  return { seen, terminal };
}

/**
 * A limiter whose clock stands still: 2 requests and 10 tokens (5 per call) in all. A call that
 * has to wait records the wait (and calls `onWait`) and stays queued until its signal aborts.
 */
function frozenLimiter(onWait?: () => void) {
  const waits: number[] = [];
  const limiter = rateLimit({
    requestsPerMinute: 12,
    tokensPerMinute: 60,
    burstSeconds: 10,
    estimateTokens: () => 5,
    now: () => 0,
    sleep: (ms, signal) => {
      waits.push(ms);
      if (onWait) queueMicrotask(onWait);
      return new Promise((_, reject) =>
        signal?.addEventListener("abort", () => reject(signal.reason))
      );
    },
  });
  return { waits, limiter };
}

function embed(
  stack: Middleware[],
  terminal: ReturnType<typeof service>["terminal"],
  input: string[],
  controller = new AbortController(),
) {
  const ctx = makeContext({
    operation: "embeddings.create",
    deployment: "emb",
    params: { input },
    signal: controller.signal,
    request: new Request(URL_, {
      method: "POST",
      body: JSON.stringify({ input }),
      headers: { "content-type": "application/json" },
    }),
  });
  return { controller, response: compose(stack, terminal)(ctx) };
}

Deno.test("cache() before rateLimit(): hits take no slot and no tokens of the budget", async () => {
  const { seen, terminal } = service();
  // A call that would wait for budget is aborted instead, so the test fails rather than hangs.
  const calls = new AbortController();
  const { waits, limiter } = frozenLimiter(() => calls.abort());
  const stack = [cache({ store: new MemoryCache() }), limiter];
  const miss = await embed(stack, terminal, ["a"], calls).response;
  assert.equal(miss.headers.get("x-aoai-cache"), "miss");
  for (let i = 0; i < 5; i++) {
    const hit = await embed(stack, terminal, ["a"], calls).response;
    assert.equal(hit.headers.get("x-aoai-cache"), "hit");
  }
  // The budget holds one more call (1 request, 5 tokens): the hits left it untouched.
  const next = await embed(stack, terminal, ["b"], calls).response;
  assert.equal(next.headers.get("x-aoai-cache"), "miss");
  assert.deepEqual(waits, [], "no call waited for budget");
  assert.equal(seen.calls, 2);
});

Deno.test("rateLimit() before cache(): a hit still spends the budget (the order to avoid)", async () => {
  const { seen, terminal } = service();
  const { waits, limiter } = frozenLimiter();
  const stack = [limiter, cache({ store: new MemoryCache() })];
  await embed(stack, terminal, ["a"]).response;
  const hit = await embed(stack, terminal, ["a"]).response;
  assert.equal(hit.headers.get("x-aoai-cache"), "hit");
  const third = embed(stack, terminal, ["a"]);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(waits.length, 1, "the hit used up the budget: the next hit waits");
  third.controller.abort();
  await assert.rejects(third.response, /aborted while queued/);
  assert.equal(seen.calls, 1);
});
