import assert from "node:assert/strict";
import { type WorkersRateLimitBinding, WorkersRateLimiter } from "./rate_limit_workers.ts";

Deno.test("new WorkersRateLimiter(null) throws the TypeError asking for a binding", () => {
  assert.throws(
    () => new WorkersRateLimiter(null as unknown as WorkersRateLimitBinding),
    (err) =>
      err instanceof TypeError && /\[\[ratelimits\]\] entry in wrangler\.toml/.test(err.message),
  );
});

Deno.test("WorkersRateLimiter.take() rejects with the binding's fault when limit() answers nothing", async () => {
  const silent = new WorkersRateLimiter({
    limit: () => Promise.resolve(undefined as unknown as { success: boolean }),
  });
  await assert.rejects(
    silent.take("0"),
    (err) => err instanceof TypeError && /answered without a boolean `success`/.test(err.message),
  );
});
