// DenoKvTokenQuota on a real Deno KV: shared counts, windows, expiry, and apps sharing one KV.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { clientIdOf, DenoKvTokenQuota } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, testApp } from "./_helpers.ts";
import { turns } from "./_token_budget.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const hi = { messages: [{ role: "user", content: "one two three four five six seven eight" }] };

Deno.test("DenoKvTokenQuota: concurrent charges from several instances all count, in one counter per window", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    let now = Date.parse("2026-12-31T23:00:00.000Z");
    const options = { tokens: 1000, period: "week" as const, now: () => now };
    const a = new DenoKvTokenQuota(kv, options);
    const b = new DenoKvTokenQuota(kv, options);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).charge("client-a", 10 + i)),
    );
    const used = Array.from({ length: 20 }, (_, i) => 10 + i).reduce((x, y) => x + y);
    const weekStart = Date.parse("2026-12-28T00:00:00.000Z");
    const counter = await kv.get<Deno.KvU64>(["aoai-edge-quota", "client-a", "week", weekStart]);
    assert.equal(counter.value?.value, BigInt(used));
    assert.deepEqual(await a.check("client-a"), {
      ok: true,
      remaining: 1000 - used,
      resetAt: Date.parse("2027-01-04T00:00:00.000Z"),
    });
    await b.charge("client-a", 1000 - used);
    assert.equal((await a.check("client-a")).ok, false);
    assert.equal((await a.check("client-b")).remaining, 1000, "another client has its own");
    // Across the year's end, the same ISO week; the next Monday, a new one.
    now = Date.parse("2027-01-03T23:59:59.999Z");
    assert.equal((await b.check("client-a")).ok, false);
    now = Date.parse("2027-01-04T00:00:00.000Z");
    assert.equal((await b.check("client-a")).remaining, 1000);
    await a.charge("client-a", 1.5); // not a whole number: nothing counted
    await a.charge("client-a", 0);
    assert.equal((await b.check("client-a")).remaining, 1000);
  } finally {
    kv.close();
  }
});

Deno.test("DenoKvTokenQuota: a counter expires a little past its window's end", async () => {
  const path = await Deno.makeTempFile({ suffix: ".sqlite3" });
  try {
    const kv = await Deno.openKv(path);
    const now = Date.parse("2024-02-29T18:00:00.000Z");
    const quota = new DenoKvTokenQuota(kv, { tokens: 10, period: "month", now: () => now });
    const before = Date.now();
    await quota.charge("client-a", 3);
    await quota.charge("client-a", 4); // the second write keeps the expiry
    const after = Date.now();
    kv.close();
    const db = new DatabaseSync(path);
    const rows = db.prepare("SELECT expiration_ms FROM kv").all() as { expiration_ms: number }[];
    db.close();
    assert.equal(rows.length, 1);
    // Deno KV expires at its own clock plus expireIn: the window's end (1 March) plus an hour,
    // counted from the injected time.
    const expireIn = Date.parse("2024-03-01T01:00:00.000Z") - now;
    assert.ok(
      rows[0].expiration_ms >= before + expireIn && rows[0].expiration_ms <= after + expireIn,
    );
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("DenoKvTokenQuota: says what is wrong with its options, never quoting them", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    assert.throws(
      () => new DenoKvTokenQuota({} as Deno.Kv, { tokens: 1, period: "day" }),
      /must be a Deno\.Kv/,
    );
    assert.throws(
      () => new DenoKvTokenQuota(kv, { tokens: 0, period: "day" }),
      /new DenoKvTokenQuota\(\)\.tokens must be a whole number/,
    );
    assert.throws(
      () => new DenoKvTokenQuota(kv, { tokens: 1, period: "year" as "day" }),
      /period must be "hour", "day", "week" or "month"/,
    );
    assert.throws(
      () => new DenoKvTokenQuota(kv, { tokens: 1, period: "day", prefix: ["x".repeat(2000)] }),
      /prefix must be/,
    );
    assert.throws(
      () => new DenoKvTokenQuota(kv, { tokens: 1, period: "day", maxAttempts: 0 }),
      /maxAttempts must be/,
    );
  } finally {
    kv.close();
  }
});

Deno.test("tokenQuota: two apps sharing one Deno KV share each key's quota", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const now = () => Date.parse("2026-03-14T10:00:00.000Z");
    const quota = () => ({
      tokens: 30,
      period: "day" as const,
      limiter: new DenoKvTokenQuota(kv, { tokens: 30, period: "day", now }),
    });
    const pending: Promise<unknown>[] = [];
    const one = testApp({ tokenQuota: quota(), now });
    const two = testApp({ tokenQuota: quota(), now });
    const res = await one.app.fetch(
      new Request(`http://edge.test${CHAT}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify(hi),
      }),
      undefined,
      { waitUntil: (p) => void pending.push(p) },
    );
    assert.equal(res.status, 200);
    const used = (await res.json()).usage.total_tokens;
    await Promise.all(pending);
    const counter = await kv.get<Deno.KvU64>([
      "aoai-edge-quota",
      await clientIdOf(KEY),
      "day",
      Date.parse("2026-03-14T00:00:00.000Z"),
    ]);
    assert.equal(counter.value?.value, BigInt(used));
    const refused = await two.call(CHAT, { json: hi });
    assert.equal(refused.status, 403);
    const { code, message } = await errorOf(refused);
    assert.equal(code, "TokenQuotaExceeded");
    assert.match(
      message,
      /of 30 tokens per day on this edge app; it resets at 2026-03-15T00:00:00\.000Z\.$/,
    );
    assert.equal(two.upstream.length, 0);
  } finally {
    kv.close();
  }
});

Deno.test("tokenQuota: a closed Deno KV lets requests through and reports it", async () => {
  const kv = await Deno.openKv(":memory:");
  kv.close();
  const errors: string[] = [];
  const t = testApp({
    tokenQuota: {
      tokens: 1,
      period: "hour",
      limiter: new DenoKvTokenQuota(kv, { tokens: 1, period: "hour" }),
    },
    onError: (m) => errors.push(m),
  });
  const res = await t.call(CHAT, { json: hi });
  assert.equal(res.status, 200);
  await res.text();
  await turns();
  assert.equal(errors.length, 2);
  assert.match(errors[0], /^token quota failed, request let through: /);
  assert.match(errors[1], /^token quota failed to count \d+ tokens: /);
  assert.ok(!errors.join("\n").includes(KEY));
});
