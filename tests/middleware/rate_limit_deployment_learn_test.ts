// What rateLimit() learns from a response's x-ratelimit-* headers is the quota of the deployment
// that answered: what remains lowers only that deployment's budget, and a budget learned from it
// (limit or remaining, with none set) holds only its calls. The budgets you set (requestsPerMinute,
// tokensPerMinute, maxConcurrent) stay one for the whole instance, shared by every deployment.
import assert from "node:assert/strict";
import type { RateLimitOptions } from "../../src/middleware/rate_limit.ts";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

/** rateLimit() whose terminal answers chat's calls with `headers`, others with none. */
function setup(options: RateLimitOptions, headers: Record<string, string>) {
  const stack = rateLimitStack(options, {
    answer: (_, ctx) =>
      Promise.resolve(new Response("ok", ctx.deployment === "chat" ? { headers } : {})),
  });
  return { ...stack, to: (deployment: string, id: string) => stack.call(id, { deployment }) };
}

Deno.test("rateLimit(): x-ratelimit-remaining-requests of one deployment does not lower another's budget", async () => {
  // 600 a minute, 100 at once: chat says 1 request remains.
  const { to } = setup({ requestsPerMinute: 600 }, { "x-ratelimit-remaining-requests": "1" });
  await to("chat", "c1");
  for (const id of ["e1", "e2", "e3"]) {
    assert.equal(await state(to("embed", id)), "resolved", `${id} is not held by chat's 1`);
  }
  assert.equal(await state(to("chat", "c2")), "resolved", "chat's one remaining request");
  assert.equal(await state(to("chat", "c3")), "pending", "chat has none left");
});

Deno.test("rateLimit(): a tokens budget learned from one deployment's remaining tokens holds only its calls", async () => {
  // Nothing set: chat says 100 tokens remain, adopted as chat's budget (100 a minute).
  const { to } = setup({ estimateTokens: () => 50 }, { "x-ratelimit-remaining-tokens": "100" });
  await to("chat", "c1");
  for (const id of ["e1", "e2", "e3"]) {
    assert.equal(await state(to("embed", id)), "resolved", `${id} has no tokens budget`);
  }
  assert.equal(await state(to("chat", "c2")), "resolved");
  assert.equal(await state(to("chat", "c3")), "pending", "chat's learned budget holds");
});

Deno.test("rateLimit(): a requests limit one deployment sends is not adopted for another", async () => {
  // One request a minute (at once: 1) for chat.
  const { time, to } = setup({}, { "x-ratelimit-limit-requests": "1" });
  await to("chat", "c1");
  await to("chat", "c2"); // its budget is full when learned: this one takes it
  for (const id of ["e1", "e2", "e3"]) assert.equal(await state(to("embed", id)), "resolved");
  const c3 = to("chat", "c3");
  assert.equal(await state(c3), "pending");
  await time.advance(60_000);
  assert.equal(await state(c3), "resolved");
});

Deno.test("rateLimit(): the budgets you set are shared by all deployments, in order", async () => {
  // One request per 10 s (burst 1), for the whole instance.
  const { time, started, to } = setup({ requestsPerMinute: 6, burstSeconds: 10 }, {});
  await to("chat", "c1");
  const e1 = to("embed", "e1");
  const c2 = to("chat", "c2");
  assert.equal(await state(e1), "pending", "the instance's budget is spent");
  await time.advance(10_000);
  assert.equal(await state(e1), "resolved");
  assert.equal(await state(c2), "pending", "e1 came first");
  await time.advance(10_000);
  assert.equal(await state(c2), "resolved");
  assert.deepEqual(started, ["c1", "e1", "c2"]);
});
