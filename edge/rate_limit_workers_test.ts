import assert from "node:assert/strict";
import { type WorkersRateLimitBinding, WorkersRateLimiter } from "./rate_limit_workers.ts";
import type { RateLimiter } from "./rate_limit.ts";

/** A stand-in for the Workers binding: `limit` requests per key, recording the keys asked. */
function fakeBinding(limit: number) {
  const keys: string[] = [];
  const counts = new Map<string, number>();
  const binding: WorkersRateLimitBinding = {
    limit({ key }) {
      keys.push(key);
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      return Promise.resolve({ success: count <= limit });
    },
  };
  return { binding, keys };
}

Deno.test("WorkersRateLimiter.take() asks the binding with a prefixed client id", async () => {
  const { binding, keys } = fakeBinding(1);
  const limiter = new WorkersRateLimiter(binding);
  assert.deepEqual(await limiter.take("0"), { ok: true, retryAfterSeconds: 0 });
  assert.deepEqual(await limiter.take("0"), { ok: false, retryAfterSeconds: 60 });
  assert.deepEqual(await limiter.take("1"), { ok: true, retryAfterSeconds: 0 });
  assert.deepEqual(keys, ["aoai-edge:0", "aoai-edge:0", "aoai-edge:1"]);
  assert.equal(
    (limiter as RateLimiter).requestsPerMinute,
    undefined,
    "the limit is in wrangler.toml",
  );
});

Deno.test("WorkersRateLimiter.take() answers retry-after with the configured period", async () => {
  const { binding, keys } = fakeBinding(0);
  const limiter = new WorkersRateLimiter(binding, { periodSeconds: 10, keyPrefix: "x/" });
  assert.deepEqual(await limiter.take("2"), { ok: false, retryAfterSeconds: 10 });
  assert.deepEqual(keys, ["x/2"]);
});

Deno.test("WorkersRateLimiter.take() rejects when the binding fails or answers without success", async () => {
  const failing = new WorkersRateLimiter({ limit: () => Promise.reject(new Error("down")) });
  await assert.rejects(failing.take("0"), /down/);
  const odd = new WorkersRateLimiter({
    limit: () => Promise.resolve({ success: "yes" as unknown as boolean }),
  });
  await assert.rejects(odd.take("0"), /boolean `success`/);
});

Deno.test("new WorkersRateLimiter() throws a TypeError for a non-binding or a bad period", () => {
  assert.throws(() => new WorkersRateLimiter({} as WorkersRateLimitBinding), /\[\[ratelimits\]\]/);
  assert.throws(
    () => new WorkersRateLimiter(fakeBinding(1).binding, { periodSeconds: 30 as 60 }),
    /periodSeconds must be 10 or 60/,
  );
});
