import assert from "node:assert/strict";
import { DenoKvTokenLimiter } from "./token_limit_deno_kv.ts";

// 600 tokens a minute: 100 ms a token.
const TPM = 600;

/** A limiter on `kv` at 600 a minute on a clock at `now`. */
function limiterAt(kv: Deno.Kv, now: number): DenoKvTokenLimiter {
  return new DenoKvTokenLimiter(kv, { tokensPerMinute: TPM, now: () => now });
}

Deno.test("DenoKvTokenLimiter skips debts not of its form, and folds them away", async () => {
  using kv = await Deno.openKv(":memory:");
  await kv.set(["aoai-edge-tokens", "c"], [3_000, 1_000]); // 1 s owed at 2 s: 10 tokens
  for (const [id, value] of [["a", 5], ["b", ["x", 1_000]], ["c", [5, "later"]], ["d", {}]]) {
    await kv.set(["aoai-edge-tokens", "c", "o", id as string], value);
  }
  const limiter = limiterAt(kv, 2_000);
  assert.deepEqual(await limiter.check("c"), {
    ok: true,
    retryAfterSeconds: 0,
    remaining: TPM - 10,
  });
  const left = await Array.fromAsync(kv.list({ prefix: ["aoai-edge-tokens", "c", "o"] }));
  assert.deepEqual(left, [], "folded by the check");
  assert.deepEqual((await kv.get(["aoai-edge-tokens", "c"])).value, [3_000, 2_000]);
});

Deno.test("DenoKvTokenLimiter reads an entry not of its form as a full budget", async () => {
  using kv = await Deno.openKv(":memory:");
  await kv.set(["aoai-edge-tokens", "c"], ["x", 1_000]);
  assert.equal((await limiterAt(kv, 2_000).check("c")).remaining, TPM);
});

Deno.test("DenoKvTokenLimiter charges debts in the order of their times, whatever their keys", async () => {
  using kv = await Deno.openKv(":memory:");
  // Listed by key: the later debt first. 100 tokens at 1 s, then 100 at 50 s: full at 60 s.
  await kv.set(["aoai-edge-tokens", "c", "o", "a"], [100, 50_000]);
  await kv.set(["aoai-edge-tokens", "c", "o", "b"], [100, 1_000]);
  assert.deepEqual(await limiterAt(kv, 50_000).check("c"), {
    ok: true,
    retryAfterSeconds: 0,
    remaining: TPM - 100,
  });
  assert.deepEqual((await kv.get(["aoai-edge-tokens", "c"])).value, [60_000, 50_000]);
});

Deno.test("DenoKvTokenLimiter: a debt written by a clock ahead owes no more than when written", async () => {
  using kv = await Deno.openKv(":memory:");
  // A minute's worth charged by an isolate whose clock was 99 s ahead.
  await kv.set(["aoai-edge-tokens", "c", "o", "a"], [600, 100_000]);
  assert.deepEqual(await limiterAt(kv, 1_000).check("c"), { ok: false, retryAfterSeconds: 1 });
});

Deno.test("DenoKvTokenLimiter folds at most 100 debts a write: check() leaves 101, a charge folds 100, check() folds 100", async () => {
  using kv = await Deno.openKv(":memory:");
  const debts = ["aoai-edge-tokens", "c", "o"];
  for (let i = 0; i < 101; i++) await kv.set([...debts, `d${1000 + i}`], [1, 1_000]);
  const limiter = limiterAt(kv, 1_000);
  assert.equal((await limiter.check("c")).remaining, TPM - 101);
  assert.equal((await Array.fromAsync(kv.list({ prefix: debts }))).length, 101);
  await limiter.charge("c", 1);
  assert.equal((await Array.fromAsync(kv.list({ prefix: debts }))).length, 1);
  assert.equal((await limiter.check("c")).remaining, TPM - 102);
  // 100 debts are few enough for check() to fold.
  for (let i = 0; i < 100; i++) await kv.set([...debts, `e${1000 + i}`], [1, 1_000]);
  assert.equal((await limiter.check("c")).remaining, TPM - 202);
  assert.equal((await Array.fromAsync(kv.list({ prefix: debts }))).length, 0);
});

Deno.test("DenoKvTokenLimiter.check() reads and folds only the debts under a client, nothing else sharing its prefix", async () => {
  using kv = await Deno.openKv(":memory:");
  // A DenoKvTokenQuota given the same prefix keeps its counters under [prefix, client, "day", …].
  const counter = ["aoai-edge-tokens", "c", "day", 1];
  await kv.set(counter, new Deno.KvU64(5n));
  const limiter = limiterAt(kv, 2_000);
  assert.equal((await limiter.check("c")).remaining, TPM);
  assert.deepEqual((await kv.get(counter)).value, new Deno.KvU64(5n));
});

Deno.test("DenoKvTokenLimiter.check() writes nothing back for an entry written at its own time", async () => {
  using kv = await Deno.openKv(":memory:");
  const limiter = limiterAt(kv, 2_000);
  await limiter.charge("c", 10);
  const { versionstamp } = await kv.get(["aoai-edge-tokens", "c"]);
  assert.equal((await limiter.check("c")).remaining, TPM - 10);
  assert.equal((await kv.get(["aoai-edge-tokens", "c"])).versionstamp, versionstamp);
});
