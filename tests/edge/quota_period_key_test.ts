// DenoKvTokenQuota keys its counters by period as well as by window start: quotas of different
// periods on one key prefix count apart, also when their windows start at the same instant; the
// counters of the key an earlier version wrote ([...prefix, client, start]) still count.
import assert from "node:assert/strict";
import { DenoKvTokenQuota } from "../../edge/mod.ts";

const MIDNIGHT = Date.parse("2026-03-14T00:00:00.000Z");

Deno.test("DenoKvTokenQuota: an hourly and a daily quota on one prefix do not share the counter of windows starting at midnight", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = MIDNIGHT + 10 * 60_000;
  const hourly = new DenoKvTokenQuota(kv, { tokens: 1000, period: "hour", now: () => now });
  const daily = new DenoKvTokenQuota(kv, { tokens: 5000, period: "day", now: () => now });
  await hourly.charge("client-a", 600);
  await daily.charge("client-a", 300);
  assert.equal((await hourly.check("client-a")).remaining, 400, "the hour's own 600");
  assert.equal((await daily.check("client-a")).remaining, 4700, "the day's own 300");
  // The next hour: a new hourly window, the same daily one.
  now = MIDNIGHT + 70 * 60_000;
  await hourly.charge("client-a", 50);
  assert.equal((await hourly.check("client-a")).remaining, 950);
  assert.equal((await daily.check("client-a")).remaining, 4700);
  const keys = (await Array.fromAsync(kv.list<Deno.KvU64>({ prefix: ["aoai-edge-quota"] })))
    .map((e) => [e.key, e.value.value]);
  assert.deepEqual(
    keys.toSorted(),
    [
      [["aoai-edge-quota", "client-a", "day", MIDNIGHT], 300n],
      [["aoai-edge-quota", "client-a", "hour", MIDNIGHT], 600n],
      [["aoai-edge-quota", "client-a", "hour", MIDNIGHT + 3_600_000], 50n],
    ].toSorted(),
  );
});

Deno.test("DenoKvTokenQuota: counts an earlier version stored under [...prefix, client, start] still count (rolling upgrade)", async () => {
  using kv = await Deno.openKv(":memory:");
  const now = () => MIDNIGHT + 5 * 3_600_000;
  const legacy = ["my-app", "quota", "client-a", MIDNIGHT];
  // An instance of the earlier version charged 300 today, before this one started.
  await kv.set(legacy, new Deno.KvU64(300n));
  const quota = new DenoKvTokenQuota(kv, {
    tokens: 1000,
    period: "day",
    prefix: ["my-app", "quota"],
    now,
  });
  assert.equal((await quota.check("client-a")).remaining, 700);
  await quota.charge("client-a", 200);
  assert.equal((await quota.check("client-a")).remaining, 500);
  // The earlier version, still running during the upgrade, charges its counter: counted too.
  await kv.set(legacy, new Deno.KvU64(800n));
  assert.deepEqual(await quota.check("client-a"), {
    ok: false,
    remaining: 0,
    resetAt: MIDNIGHT + 86_400_000,
  });
  // Its counter is left as it was written (this version adds to its own).
  assert.equal((await kv.get<Deno.KvU64>(legacy)).value?.value, 800n);
  assert.equal(
    (await kv.get<Deno.KvU64>(["my-app", "quota", "client-a", "day", MIDNIGHT])).value?.value,
    200n,
  );
  assert.equal((await quota.check("client-b")).remaining, 1000, "another client: none");
});
