// DenoKvTokenQuota and DenoKvTokenLimiter under heavy contention for one client: many instances
// (one Kv shared, or separate handles on one file, as isolates) charging at the same moment lose
// no charge, check() reports the whole sum, and every entry written keeps an expiry.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { DenoKvTokenLimiter, DenoKvTokenQuota } from "../../edge/mod.ts";
import { alwaysRaced } from "./_kv_spy.ts";

/** Charges of `count` instances made by `make`, `each` apiece, all at once; the failures. */
async function chargeAll(
  instances: { charge(client: string, tokens: number): Promise<void> }[],
  each: number,
  tokensOf: (i: number) => number,
): Promise<unknown[]> {
  const failures: unknown[] = [];
  await Promise.all(
    instances.flatMap((instance, i) =>
      Array.from(
        { length: each },
        (_, j) =>
          instance.charge("client-a", tokensOf(i * each + j)).catch((e) => failures.push(e)),
      )
    ),
  );
  return failures;
}

const tokensOf = (i: number) => (i % 7) + 1;
const sumOf = (n: number) =>
  Array.from({ length: n }, (_, i) => tokensOf(i)).reduce((a, b) => a + b);

/** Every row's expiration_ms in the SQLite file of a Deno KV (null: never expires). */
function expirations(path: string): (number | null)[] {
  const db = new DatabaseSync(path);
  try {
    const rows = db.prepare("SELECT expiration_ms FROM kv").all() as {
      expiration_ms: number | null;
    }[];
    return rows.map((row) => row.expiration_ms);
  } finally {
    db.close();
  }
}

Deno.test("DenoKvTokenQuota: 300 instances × 2 charges at once for one client all count", async () => {
  using kv = await Deno.openKv(":memory:");
  const now = () => Date.parse("2026-03-14T10:00:00.000Z");
  const options = { tokens: 1_000_000, period: "day" as const, now };
  const quotas = Array.from({ length: 300 }, () => new DenoKvTokenQuota(kv, options));
  const failures = await chargeAll(quotas, 2, tokensOf);
  assert.equal(failures.length, 0, `${failures.length} charges lost: ${failures[0]}`);
  const total = sumOf(600);
  assert.equal((await quotas[0].check("client-a")).remaining, 1_000_000 - total);
  // Later charges fold what was written aside into the counter: few entries stay.
  for (let i = 0; i < 5; i++) await quotas[i].charge("client-a", 1);
  assert.equal((await quotas[7].check("client-a")).remaining, 1_000_000 - total - 5);
  const entries = await Array.fromAsync(kv.list<Deno.KvU64>({ prefix: ["aoai-edge-quota"] }));
  assert.equal(entries.length, 1, "one counter left for the window");
  assert.equal(entries[0].value.value, BigInt(total + 5));
});

Deno.test("DenoKvTokenQuota: 100 handles on one KV file (isolates) × 5 instances × 2 charges all count, and expire", async () => {
  const path = await Deno.makeTempFile({ suffix: ".sqlite3" });
  try {
    let now = Date.parse("2026-03-14T10:00:00.000Z");
    const options = { tokens: 1_000_000, period: "day" as const, now: () => now };
    const handles = await Promise.all(Array.from({ length: 100 }, () => Deno.openKv(path)));
    const before = Date.now();
    try {
      const quotas = handles.flatMap((kv) =>
        Array.from({ length: 5 }, () => new DenoKvTokenQuota(kv, options))
      );
      const failures = await chargeAll(quotas, 2, tokensOf);
      assert.equal(failures.length, 0, `${failures.length} charges lost: ${failures[0]}`);
      assert.equal((await quotas[3].check("client-a")).remaining, 1_000_000 - sumOf(1000));
      // The next day's window starts empty.
      now = Date.parse("2026-03-15T00:00:00.000Z");
      assert.equal((await quotas[3].check("client-a")).remaining, 1_000_000);
    } finally {
      for (const kv of handles) kv.close();
    }
    const after = Date.now();
    // Every entry (the counter and any written aside) expires an hour past the window's end.
    const expireIn = Date.parse("2026-03-15T01:00:00.000Z") -
      Date.parse("2026-03-14T10:00:00.000Z");
    const rows = expirations(path);
    assert.ok(rows.length >= 1);
    for (const at of rows) {
      assert.ok(at !== null && at >= before + expireIn && at <= after + expireIn, `${at}`);
    }
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("DenoKvTokenLimiter: 300 instances × 2 charges at once for one client all count", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = 5_000;
  // 60 000 a minute: each token owes 1 ms.
  const options = { tokensPerMinute: 60_000, now: () => now };
  const limiters = Array.from({ length: 300 }, () => new DenoKvTokenLimiter(kv, options));
  const failures = await chargeAll(limiters, 2, tokensOf);
  assert.equal(failures.length, 0, `${failures.length} charges lost: ${failures[0]}`);
  const total = sumOf(600);
  assert.deepEqual(await limiters[0].check("client-a"), {
    ok: true,
    retryAfterSeconds: 0,
    remaining: 60_000 - total,
  });
  // Later charges and checks fold the debts written aside into the entry.
  for (let i = 0; i < 5; i++) await limiters[i].charge("client-a", 1);
  await limiters[9].check("client-a");
  const entries = await Array.fromAsync(kv.list({ prefix: ["aoai-edge-tokens"] }));
  assert.deepEqual(entries.map((e) => e.value), [[5_000 + total + 5, 5_000]]);
  // The budget refills as before: full again once the debt is paid.
  now += total + 5;
  assert.equal((await limiters[1].check("client-a")).remaining, 60_000);
});

Deno.test("DenoKvTokenLimiter: 100 handles on one KV file × 5 instances × 2 charges all count, every entry expiring", async () => {
  const path = await Deno.makeTempFile({ suffix: ".sqlite3" });
  try {
    let now = 5_000;
    const options = { tokensPerMinute: 600, now: () => now };
    const handles = await Promise.all(Array.from({ length: 100 }, () => Deno.openKv(path)));
    const total = sumOf(1000);
    try {
      const limiters = handles.flatMap((kv) =>
        Array.from({ length: 5 }, () => new DenoKvTokenLimiter(kv, options))
      );
      const failures = await chargeAll(limiters, 2, tokensOf);
      assert.equal(failures.length, 0, `${failures.length} charges lost: ${failures[0]}`);
      // 600 a minute: 100 ms a token; refused until less than a minute's worth is owed.
      const owed = total * 100;
      assert.deepEqual(await limiters[3].check("client-a"), {
        ok: false,
        retryAfterSeconds: Math.ceil((owed - 60_000 + 1) / 1000),
      });
      now += owed - 60_000 + 1;
      assert.deepEqual(await limiters[4].check("client-a"), {
        ok: true,
        retryAfterSeconds: 0,
        remaining: 0,
      });
    } finally {
      for (const kv of handles) kv.close();
    }
    const rows = expirations(path);
    assert.ok(rows.length >= 1);
    for (const at of rows) assert.ok(at !== null, "every entry expires");
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("DenoKvTokenQuota: a charge that loses every race is written aside, counted by check() and folded by the next charge", async () => {
  using kv = await Deno.openKv(":memory:");
  const now = () => Date.parse("2026-03-14T10:00:00.000Z");
  const raced = new DenoKvTokenQuota(alwaysRaced(kv), { tokens: 100, period: "day", now });
  await raced.charge("client-a", 7);
  await raced.charge("client-a", 5);
  const quota = new DenoKvTokenQuota(kv, { tokens: 100, period: "day", now });
  assert.equal((await quota.check("client-a")).remaining, 88);
  const day = Date.parse("2026-03-14T00:00:00.000Z");
  // An entry of the key without the period (earlier versions) still counts beside them.
  await kv.set(["aoai-edge-quota", "client-a", day], new Deno.KvU64(10n));
  assert.equal((await quota.check("client-a")).remaining, 78);
  await quota.charge("client-a", 1);
  const keys = (await Array.fromAsync(kv.list({ prefix: ["aoai-edge-quota", "client-a", "day"] })))
    .map((e) => [e.key, e.value]);
  assert.deepEqual(keys, [[["aoai-edge-quota", "client-a", "day", day], new Deno.KvU64(13n)]]);
  assert.equal((await quota.check("client-a")).remaining, 77);
});

Deno.test("DenoKvTokenLimiter: a charge that loses every race is written aside as a debt, counted and folded", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = 1_000;
  // 600 a minute: 100 ms a token.
  const options = { tokensPerMinute: 600, now: () => now };
  await new DenoKvTokenLimiter(alwaysRaced(kv), options).charge("c", 700);
  const limiter = new DenoKvTokenLimiter(kv, options);
  // 70 s owed: refused for 10 s and a ms.
  assert.deepEqual(await limiter.check("c"), { ok: false, retryAfterSeconds: 11 });
  // The check folded the debt into the entry.
  assert.deepEqual(
    (await Array.fromAsync(kv.list({ prefix: ["aoai-edge-tokens"] }))).map((e) => e.value),
    [[71_000, 1_000]],
  );
  now = 71_000;
  assert.equal((await limiter.check("c")).remaining, 600);
});

Deno.test("DenoKvTokenLimiter: debts count from when they were charged, beside an entry of the old format", async () => {
  using kv = await Deno.openKv(":memory:");
  let now = 1_500;
  const limiter = new DenoKvTokenLimiter(kv, { tokensPerMinute: 600, now: () => now });
  // The old format (fullAt alone), and a debt of 600 tokens charged at 1 000 (60 s at 100 ms).
  await kv.set(["aoai-edge-tokens", "c"], 2_000);
  await kv.set(["aoai-edge-tokens", "c", "o", "x"], [600, 1_000]);
  // Full again at 2 000 + 60 000: 60.5 s owed.
  assert.deepEqual(await limiter.check("c"), { ok: false, retryAfterSeconds: 1 });
  assert.deepEqual((await kv.get(["aoai-edge-tokens", "c"])).value, [62_000, 1_500]);
  assert.equal((await kv.get(["aoai-edge-tokens", "c", "o", "x"])).value, null, "folded");
  // A debt paid off before it is read owes nothing (not charged as of the read).
  await kv.set(["aoai-edge-tokens", "d", "o", "y"], [600, 1_000]);
  now = 100_000;
  assert.equal((await limiter.check("d")).remaining, 600);
  now = 62_000;
  assert.equal((await limiter.check("c")).remaining, 600);
});
