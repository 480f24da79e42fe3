import assert from "node:assert/strict";
import { DenoKvTokenQuota } from "./token_quota_deno_kv.ts";
import { alwaysRaced, gatedCommits, losingCommits, recordSets } from "../tests/edge/_kv_spy.ts";

const NOW = Date.parse("2026-03-14T10:00:00.000Z");
/** The counter's expireIn at NOW: the day's end and an hour. */
const EXPIRE_IN = Date.parse("2026-03-15T01:00:00.000Z") - NOW;
const DAY = Date.parse("2026-03-14T00:00:00.000Z");

Deno.test("new DenoKvTokenQuota() throws its own TypeError for a null KV or no options", async () => {
  using kv = await Deno.openKv(":memory:");
  assert.throws(
    () => new DenoKvTokenQuota(null as unknown as Deno.Kv, { tokens: 1, period: "day" }),
    (err) => err instanceof TypeError && /first argument must be a Deno\.Kv/.test(err.message),
  );
  assert.throws(
    () => new DenoKvTokenQuota(kv, undefined as never),
    (err) => err instanceof TypeError && /\.tokens must be a whole number/.test(err.message),
  );
});

Deno.test("DenoKvTokenQuota.charge() writes nothing for 0 tokens, and its counter expires an hour past the window", async () => {
  using kv = await Deno.openKv(":memory:");
  const sets = recordSets(kv);
  const quota = new DenoKvTokenQuota(kv, { tokens: 100, period: "day", now: () => NOW });
  await quota.charge("c", 0);
  assert.deepEqual(sets, []);
  await quota.charge("c", 3);
  assert.deepEqual(sets, [{
    key: ["aoai-edge-quota", "c", "day", DAY],
    value: new Deno.KvU64(3n),
    expireIn: EXPIRE_IN,
  }]);
});

Deno.test("DenoKvTokenQuota.charge() writes aside after 4 lost races, or after 1 when it has 2 tries", async () => {
  using kv = await Deno.openKv(":memory:");
  const sets = recordSets(kv);
  const lost = { count: 0 };
  const raced = alwaysRaced(kv, lost);
  await new DenoKvTokenQuota(raced, { tokens: 100, period: "day", now: () => NOW }).charge("c", 7);
  assert.equal(lost.count, 4);
  assert.equal(sets.length, 5);
  assert.deepEqual(sets[4].key.slice(0, 5), ["aoai-edge-quota", "c", "day", DAY, "o"]);
  assert.deepEqual(sets[4].value, new Deno.KvU64(7n));
  assert.equal(sets[4].expireIn, EXPIRE_IN);
  const twoTries = { tokens: 100, period: "day" as const, now: () => NOW, maxAttempts: 1 };
  await new DenoKvTokenQuota(raced, twoTries).charge("d", 1);
  assert.equal(lost.count, 5, "one conditional write, then aside");
  assert.equal(sets.length, 7);
});

Deno.test("DenoKvTokenQuota makes at least 2 tries: maxAttempts 1 fails after 2 writes", async () => {
  using kv = await Deno.openKv(":memory:");
  const { commits } = losingCommits(kv);
  const quota = new DenoKvTokenQuota(kv, { tokens: 100, period: "day", maxAttempts: 1 });
  await assert.rejects(quota.charge("c", 3), /3 tokens not counted.*\(2 tries\)/);
  assert.equal(commits(), 2);
});

Deno.test("DenoKvTokenQuota.check() during a write of its own charges that uses up the quota waits and says so", async () => {
  using kv = await Deno.openKv(":memory:");
  const quota = new DenoKvTokenQuota(kv, { tokens: 10, period: "day", now: () => NOW });
  await quota.charge("c", 9);
  const { reached, release } = gatedCommits(kv, "conditional", () => false);
  const last = quota.charge("c", 1); // the last token, written slowly
  await reached;
  const checked = quota.check("c");
  release();
  await last;
  assert.deepEqual(await checked, { ok: false, remaining: 0, resetAt: DAY + 86_400_000 });
});

Deno.test("DenoKvTokenQuota.charge() folds at most 100 overflow entries a write", async () => {
  using kv = await Deno.openKv(":memory:");
  const counter = ["aoai-edge-quota", "c", "day", DAY];
  for (let i = 0; i < 101; i++) await kv.set([...counter, "o", `d${1000 + i}`], new Deno.KvU64(1n));
  const quota = new DenoKvTokenQuota(kv, { tokens: 1000, period: "day", now: () => NOW });
  await quota.charge("c", 1);
  assert.deepEqual((await kv.get(counter)).value, new Deno.KvU64(101n));
  assert.equal((await Array.fromAsync(kv.list({ prefix: [...counter, "o"] }))).length, 1);
  assert.equal((await quota.check("c")).remaining, 1000 - 102);
});
