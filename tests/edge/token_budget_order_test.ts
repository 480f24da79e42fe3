// A request refused for tokens against the rate limit.
import assert from "node:assert/strict";
import { clientIdOf, ClientTokenLimiter, type RateLimiter } from "../../edge/mod.ts";
import { errorOf, KEY } from "./_helpers.ts";
import { ask, bodyOf, heldApp } from "./_token_budget.ts";

Deno.test("tokenLimit: a request refused for tokens does not use up one of the client's rateLimit requests", async () => {
  let takes = 0;
  const rate: RateLimiter = {
    requestsPerMinute: 2,
    take: () => ({ ok: ++takes <= 2, retryAfterSeconds: 60 }),
  };
  const tokens = new ClientTokenLimiter({ tokensPerMinute: 10, now: () => 0 });
  tokens.charge(await clientIdOf(KEY), 1000); // the budget is spent
  const { app } = heldApp({ rateLimit: { limiter: rate }, tokenLimit: { limiter: tokens } });
  for (let i = 0; i < 3; i++) {
    const res = await app.fetch(ask(bodyOf(100)));
    assert.equal(res.status, 429);
    assert.match((await errorOf(res)).message, /more than 10 tokens per minute/);
  }
  assert.equal(takes, 0, "no request was counted against the rate limit");
});

Deno.test("tokenLimit: a GET to a charged route gets its 405, not the spent budget's 429", async () => {
  const tokens = new ClientTokenLimiter({ tokensPerMinute: 10, now: () => 0 });
  tokens.charge(await clientIdOf(KEY), 1000); // the budget is spent
  const { app } = heldApp({ tokenLimit: { limiter: tokens } });
  const post = ask(bodyOf(100));
  const res = await app.fetch(new Request(post.url, { method: "GET", headers: post.headers }));
  assert.equal(res.status, 405);
  await res.body?.cancel();
});
