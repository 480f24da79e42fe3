// A Deno KV read that never answers (a stuck connection to a remote KV) held every later take or
// charge of the same client in that instance behind it, for as long as it hung: the rate limit's
// takes of one client go to KV as one batch, and the charges of one client (of one quota window)
// are written one batch after the other. The app lets each such request through after its
// timeoutMs, so one stuck read turned the client's limits off for good, each of its requests
// waiting the time limit first, and every later charge was lost. A batch in KV for a second or
// more no longer holds the takes and charges that come after it.
import assert from "node:assert/strict";
import { DenoKvRateLimiter, DenoKvTokenLimiter, DenoKvTokenQuota } from "../../edge/mod.ts";
import { firstReadHangs } from "./_kv_hang.ts";

const START = Date.parse("2026-03-14T10:00:00.000Z");

Deno.test("DenoKvRateLimiter: takes after a read that hangs are answered by KV, not held behind it", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = START;
  const limiter = new DenoKvRateLimiter(firstReadHangs(kv), {
    requestsPerMinute: 2,
    now: () => now,
  });
  void limiter.take("c"); // never answered (the app lets it through after its timeoutMs)
  now += 1_000;
  assert.equal((await limiter.take("c")).ok, true);
  assert.equal((await limiter.take("c")).ok, true);
  assert.equal((await limiter.take("c")).ok, false, "the budget of 2 is used up");
});

Deno.test("DenoKvRateLimiter: takes overlapping a batch under a second old still join it", async () => {
  using kv = await Deno.openKv(":memory:");
  let reads = 0;
  const counting = new Proxy(kv, {
    get(target, name) {
      if (name === "get") return (key: Deno.KvKey) => (reads++, target.get(key));
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const limiter = new DenoKvRateLimiter(counting, { requestsPerMinute: 100, now: () => START });
  const first = limiter.take("c");
  const more = Array.from({ length: 9 }, () => limiter.take("c"));
  assert.equal((await Promise.all([first, ...more])).filter((d) => d.ok).length, 10);
  assert.equal(reads, 2, "one read for the first, one for the nine that joined meanwhile");
});

Deno.test("DenoKvTokenLimiter: charges after a write whose read hangs are counted", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = START;
  const limiter = new DenoKvTokenLimiter(firstReadHangs(kv), {
    tokensPerMinute: 60_000,
    now: () => now,
  });
  void limiter.charge("c", 100); // never written (the app reports it after its timeoutMs)
  now += 1_000;
  await limiter.charge("c", 300);
  assert.deepEqual((await kv.get(["aoai-edge-tokens", "c"])).value, [now + 300, now]);
});

Deno.test("DenoKvTokenQuota: charges after a write whose read hangs are counted", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = START;
  const quota = new DenoKvTokenQuota(firstReadHangs(kv), {
    tokens: 1_000,
    period: "day",
    now: () => now,
  });
  void quota.charge("c", 100); // never written (the app reports it after its timeoutMs)
  void quota.charge("c", 50); // waits for that write
  now += 1_000;
  await quota.charge("c", 300);
  assert.equal((await quota.check("c")).remaining, 700);
});
