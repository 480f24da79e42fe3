import assert from "node:assert/strict";
import { DenoKvRateLimiter } from "./rate_limit_deno_kv.ts";
import { losingCommits } from "../tests/edge/_kv_spy.ts";

Deno.test("new DenoKvRateLimiter() throws its own TypeError for a null KV or no options", async () => {
  using kv = await Deno.openKv(":memory:");
  assert.throws(
    () => new DenoKvRateLimiter(null as unknown as Deno.Kv, { requestsPerMinute: 1 }),
    (err) => err instanceof TypeError && /pass an open Deno\.Kv/.test(err.message),
  );
  assert.throws(
    () => new DenoKvRateLimiter(kv, undefined as never),
    (err) =>
      err instanceof TypeError && /requestsPerMinute must be a positive number/.test(err.message),
  );
});

Deno.test("new DenoKvRateLimiter() takes a prefix of 1024 bytes as a key, not 1025", async () => {
  using kv = await Deno.openKv(":memory:");
  // A string part costs its UTF-8 bytes and 2 more.
  assert.throws(
    () => new DenoKvRateLimiter(kv, { requestsPerMinute: 1, prefix: ["x".repeat(1023)] }),
    /this one is 1025/,
  );
});

Deno.test("DenoKvRateLimiter tries 32 conditional writes by default, and one when maxAttempts is 1", async () => {
  using kv = await Deno.openKv(":memory:");
  const { commits } = losingCommits(kv);
  const lost = { ok: false, remaining: 0, retryAfterSeconds: 1 };
  const byDefault = new DenoKvRateLimiter(kv, { requestsPerMinute: 10, now: () => 0 });
  assert.deepEqual(await byDefault.take("0"), lost);
  assert.equal(commits(), 32);
  const once = new DenoKvRateLimiter(kv, { requestsPerMinute: 10, maxAttempts: 1, now: () => 0 });
  assert.deepEqual(await once.take("0"), lost);
  assert.equal(commits(), 33);
});
