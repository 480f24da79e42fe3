// DenoKvTokenQuota under load: charges sent together from one instance (and beside another
// instance on the same KV) all count, none lost to the conditional write's retries.
import assert from "node:assert/strict";
import { DenoKvTokenQuota } from "../../edge/mod.ts";

Deno.test("DenoKvTokenQuota: 100 charges at once from each of two instances all count, none lost to retries", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = () => Date.parse("2026-03-14T10:00:00.000Z");
    const a = new DenoKvTokenQuota(kv, { tokens: 1_000_000, period: "day", now });
    const b = new DenoKvTokenQuota(kv, { tokens: 1_000_000, period: "day", now });
    const failures: unknown[] = [];
    await Promise.all(
      Array.from(
        { length: 200 },
        (_, i) => (i % 2 ? a : b).charge("client-a", i + 1).catch((err) => failures.push(err)),
      ),
    );
    assert.deepEqual(failures, []);
    const total = (200 * 201) / 2;
    assert.equal((await a.check("client-a")).remaining, 1_000_000 - total);
    // Still one counter for the window, with its expiry (a set, not a sum).
    const entries = await Array.fromAsync(kv.list({ prefix: ["aoai-edge-quota"] }));
    assert.equal(entries.length, 1);
    assert.equal((entries[0].value as Deno.KvU64).value, BigInt(total));
  } finally {
    kv.close();
  }
});

Deno.test("DenoKvTokenQuota: a charge made later, while another is written, is counted in its own window", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    let now = Date.parse("2026-03-14T23:59:59.999Z");
    const quota = new DenoKvTokenQuota(kv, { tokens: 1000, period: "day", now: () => now });
    const first = quota.charge("client-a", 10);
    const second = quota.charge("client-a", 20);
    now = Date.parse("2026-03-15T00:00:00.000Z");
    const third = quota.charge("client-a", 40);
    await Promise.all([first, second, third]);
    const counter = (day: string) =>
      kv.get<Deno.KvU64>(["aoai-edge-quota", "client-a", "day", Date.parse(day)]);
    assert.equal((await counter("2026-03-14T00:00:00.000Z")).value?.value, 30n);
    assert.equal((await counter("2026-03-15T00:00:00.000Z")).value?.value, 40n);
  } finally {
    kv.close();
  }
});

Deno.test("DenoKvTokenQuota: a clock giving fractions of a millisecond still counts (expireIn is whole)", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const at = Date.parse("2026-03-14T10:00:00.000Z") + 0.5;
    const quota = new DenoKvTokenQuota(kv, { tokens: 100, period: "hour", now: () => at });
    await quota.charge("client-a", 7);
    assert.equal((await quota.check("client-a")).remaining, 93);
  } finally {
    kv.close();
  }
});
