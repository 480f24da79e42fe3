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
const HOUR = 3_600_000;
/**
 * How the clock moves after the hung batch began: a second on, or an hour back (NTP stepping it:
 * the batch's age was negative then, so it never went stale and held everything behind it).
 */
const STEPS: Array<[string, number]> = [["a second later", 1_000], ["the clock set back", -HOUR]];

for (const [when, step] of STEPS) {
  Deno.test(`DenoKvRateLimiter: takes after a read that hangs are answered by KV, not held behind it (${when})`, async () => {
    using kv = await Deno.openKv(":memory:");
    let now = START;
    const limiter = new DenoKvRateLimiter(firstReadHangs(kv), {
      requestsPerMinute: 2,
      now: () => now,
    });
    void limiter.take("c"); // never answered (the app lets it through after its timeoutMs)
    now += step;
    assert.equal((await limiter.take("c")).ok, true);
    assert.equal((await limiter.take("c")).ok, true);
    assert.equal((await limiter.take("c")).ok, false, "the budget of 2 is used up");
  });
}

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

for (const [when, step] of STEPS) {
  Deno.test(`DenoKvTokenLimiter: charges after a write whose read hangs are counted (${when})`, async () => {
    using kv = await Deno.openKv(":memory:");
    let now = START;
    const limiter = new DenoKvTokenLimiter(firstReadHangs(kv), {
      tokensPerMinute: 60_000,
      now: () => now,
    });
    void limiter.charge("c", 100); // never written (the app reports it after its timeoutMs)
    now += step;
    await limiter.charge("c", 300);
    assert.deepEqual((await kv.get(["aoai-edge-tokens", "c"])).value, [now + 300, now]);
  });
}

for (const [when, step] of STEPS) {
  Deno.test(`DenoKvTokenQuota: charges after a write whose read hangs are counted (${when})`, async () => {
    using kv = await Deno.openKv(":memory:");
    let now = START;
    const quota = new DenoKvTokenQuota(firstReadHangs(kv), {
      tokens: 1_000,
      period: "day",
      now: () => now,
    });
    void quota.charge("c", 100); // never written (the app reports it after its timeoutMs)
    void quota.charge("c", 50); // waits for that write
    now += step;
    await quota.charge("c", 300);
    assert.equal((await quota.check("c")).remaining, 700);
  });
}
