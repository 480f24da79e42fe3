import assert from "node:assert/strict";
import { DenoKvRateLimiter } from "./rate_limit_deno_kv.ts";
import { recordSets } from "../tests/edge/_kv_spy.ts";

Deno.test("DenoKvRateLimiter.take() writes nothing to refuse a request", async () => {
  using kv = await Deno.openKv(":memory:");
  const sets = recordSets(kv);
  const limiter = new DenoKvRateLimiter(kv, { requestsPerMinute: 1, now: () => 1_000 });
  assert.equal((await limiter.take("0")).ok, true);
  const { versionstamp } = await kv.get(["aoai-edge-rate", "0"]);
  assert.equal((await limiter.take("0")).ok, false);
  assert.equal((await limiter.take("0")).ok, false);
  assert.equal(sets.length, 1, "only the take let through wrote");
  assert.equal((await kv.get(["aoai-edge-rate", "0"])).versionstamp, versionstamp);
});

Deno.test("DenoKvRateLimiter.take() expires an entry less than 1 ms ahead after 1 ms", async () => {
  using kv = await Deno.openKv(":memory:");
  const sets = recordSets(kv);
  // 600 000 a minute: one every 0.1 ms.
  const limiter = new DenoKvRateLimiter(kv, { requestsPerMinute: 600_000, now: () => 5_000 });
  assert.equal((await limiter.take("0")).ok, true);
  assert.deepEqual(sets, [{ key: ["aoai-edge-rate", "0"], value: 5_000.1, expireIn: 1 }]);
});

Deno.test("DenoKvRateLimiter.take() reads an entry that is not a time as a full bucket", async () => {
  using kv = await Deno.openKv(":memory:");
  await kv.set(["aoai-edge-rate", "0"], "not a time");
  const limiter = new DenoKvRateLimiter(kv, { requestsPerMinute: 2, now: () => 60_000 });
  assert.deepEqual(await limiter.take("0"), { ok: true, remaining: 1, retryAfterSeconds: 0 });
  assert.equal((await kv.get(["aoai-edge-rate", "0"])).value, 90_000);
});
