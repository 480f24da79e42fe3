// What rateLimit() counts as a call's token cost when it cannot estimate one: an estimateTokens
// that throws counts the call as 0 tokens; a call that arrived while no tokens budget was known
// for its deployment is not estimated, and takes no tokens of one learned while it was queued.
import assert from "node:assert/strict";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

Deno.test("rateLimit(): a call whose estimateTokens throws takes no tokens", async () => {
  // 60 tokens a minute: 10 at once, 1 a second.
  const { time, call } = rateLimitStack({
    tokensPerMinute: 60,
    estimateTokens: (params) => {
      const cost = (params as { cost?: number }).cost;
      if (cost === undefined) throw new Error("no estimate");
      return cost;
    },
  });
  assert.equal(await state(call("odd")), "resolved", "counted as 0 tokens");
  const c = call("c", { params: { id: "c", cost: 10 } });
  assert.equal(await state(c), "resolved", "the 10 tokens are all there");
  assert.equal(time.now(), 0);
});

Deno.test("rateLimit(): a call queued before a tokens budget was learned takes none of it", async () => {
  let estimated = 0;
  let answerA: (res: Response) => void = () => {};
  const { time, call } = rateLimitStack({
    maxConcurrent: 1,
    estimateTokens: (params) => {
      estimated++;
      return (params as { cost: number }).cost;
    },
  }, {
    answer: (id) =>
      id === "a"
        ? new Promise((resolve) => answerA = resolve)
        : Promise.resolve(new Response("ok")),
  });
  const a = call("a", { params: { id: "a", cost: 5 } });
  const b = call("b", { params: { id: "b", cost: 5 } }); // queued for the slot, not estimated
  assert.equal(await state(b), "pending");
  assert.equal(estimated, 0, "no tokens budget known: no estimate");
  // 60 tokens a minute for the deployment: 10 at once, 1 a second.
  answerA(new Response("ok", { headers: { "x-ratelimit-limit-tokens": "60" } }));
  assert.equal(await state(a), "resolved");
  assert.equal(await state(b), "resolved", "b went, taking no tokens");
  const c = call("c", { params: { id: "c", cost: 10 } });
  assert.equal(await state(c), "resolved", "the 10 tokens are all there");
  assert.equal(estimated, 1, "c was estimated");
  assert.equal(time.now(), 0);
});
