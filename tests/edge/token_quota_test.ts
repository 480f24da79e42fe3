// tokenQuota: UTC windows, the in-memory quota, and the app's checks, refusals and charges.
import assert from "node:assert/strict";
import {
  clientIdOf,
  ClientTokenQuota,
  type EdgeRequestEvent,
  quotaWindow,
  type TokenQuotaLimiter,
  type TokenQuotaPeriod,
} from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, testApp } from "./_helpers.ts";
import { ask, bodyOf, heldApp, turns } from "./_token_budget.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const hi = { messages: [{ role: "user", content: "one two three four five six seven eight" }] };
const OWN = "own-quota-client-key-02";
const FREE = "no-quota-client-key-0003";
const as = (key: string) => ({ headers: { "api-key": key } });
const iso = (ms: number) => new Date(ms).toISOString();

/** `quotaWindow(period, at)` as ISO strings. */
function windowOf(period: TokenQuotaPeriod, at: string): [string, string] {
  const { start, end } = quotaWindow(period, Date.parse(at));
  return [iso(start), iso(end)];
}

Deno.test("quotaWindow(): hours and days are aligned to UTC, the last millisecond in, the next out", () => {
  assert.deepEqual(windowOf("hour", "2026-03-14T10:59:59.999Z"), [
    "2026-03-14T10:00:00.000Z",
    "2026-03-14T11:00:00.000Z",
  ]);
  assert.deepEqual(windowOf("hour", "2026-03-14T11:00:00.000Z")[0], "2026-03-14T11:00:00.000Z");
  assert.deepEqual(windowOf("day", "2026-03-14T23:59:59.999Z"), [
    "2026-03-14T00:00:00.000Z",
    "2026-03-15T00:00:00.000Z",
  ]);
  assert.deepEqual(windowOf("day", "2026-03-15T00:00:00.000Z")[0], "2026-03-15T00:00:00.000Z");
  // Before the epoch too (Math.floor, not truncation).
  assert.deepEqual(windowOf("day", "1969-12-31T12:00:00.000Z"), [
    "1969-12-31T00:00:00.000Z",
    "1970-01-01T00:00:00.000Z",
  ]);
});

Deno.test("quotaWindow(): ISO weeks start on Monday 00:00 UTC, across a year's end", () => {
  const week = ["2025-12-29T00:00:00.000Z", "2026-01-05T00:00:00.000Z"];
  // Monday, Thursday 1 January, Sunday's last millisecond: one week.
  for (const at of ["2025-12-29T00:00:00.000Z", "2026-01-01T12:00:00.000Z"]) {
    assert.deepEqual(windowOf("week", at), week, at);
  }
  assert.deepEqual(windowOf("week", "2026-01-04T23:59:59.999Z"), week);
  assert.deepEqual(windowOf("week", "2025-12-28T23:59:59.999Z"), [
    "2025-12-22T00:00:00.000Z",
    "2025-12-29T00:00:00.000Z",
  ]);
  // Friday 1 January 2027 (ISO week 53 of 2026); Sunday 1 January 2023 (week 52 of 2022).
  assert.deepEqual(windowOf("week", "2027-01-01T00:00:00.000Z")[0], "2026-12-28T00:00:00.000Z");
  assert.deepEqual(windowOf("week", "2023-01-01T08:00:00.000Z"), [
    "2022-12-26T00:00:00.000Z",
    "2023-01-02T00:00:00.000Z",
  ]);
});

Deno.test("quotaWindow(): calendar months of 28, 29, 30 and 31 days, and December into January", () => {
  const month = (at: string) => windowOf("month", at);
  assert.deepEqual(month("2024-02-29T23:59:59.999Z"), [
    "2024-02-01T00:00:00.000Z",
    "2024-03-01T00:00:00.000Z",
  ]);
  assert.deepEqual(month("2024-03-01T00:00:00.000Z")[0], "2024-03-01T00:00:00.000Z");
  assert.deepEqual(month("2023-02-28T23:59:59.999Z")[1], "2023-03-01T00:00:00.000Z");
  assert.deepEqual(month("2026-04-30T23:00:00.000Z"), [
    "2026-04-01T00:00:00.000Z",
    "2026-05-01T00:00:00.000Z",
  ]);
  assert.deepEqual(month("2026-12-31T23:59:59.999Z"), [
    "2026-12-01T00:00:00.000Z",
    "2027-01-01T00:00:00.000Z",
  ]);
  assert.deepEqual(month("2027-01-01T00:00:00.000Z")[0], "2027-01-01T00:00:00.000Z");
});

Deno.test("ClientTokenQuota: counts per client until the window ends, then starts again", () => {
  let now = Date.parse("2024-02-29T23:00:00.000Z");
  const quota = new ClientTokenQuota({ tokens: 100, period: "month", now: () => now });
  assert.deepEqual(quota.check("a"), {
    ok: true,
    remaining: 100,
    resetAt: Date.parse("2024-03-01T00:00:00.000Z"),
  });
  quota.charge("a", 60);
  quota.charge("a", 0.5); // not a whole number: ignored
  assert.equal(quota.check("a").remaining, 40);
  quota.charge("a", 40);
  assert.deepEqual(quota.check("a").ok, false);
  assert.equal(quota.check("b").remaining, 100, "another client has its own");
  now = Date.parse("2024-02-29T23:59:59.999Z");
  assert.equal(quota.check("a").ok, false);
  now = Date.parse("2024-03-01T00:00:00.000Z");
  assert.deepEqual(quota.check("a"), {
    ok: true,
    remaining: 100,
    resetAt: Date.parse("2024-04-01T00:00:00.000Z"),
  });
  // A clock set back into February keeps counting March's.
  quota.charge("a", 30);
  now = Date.parse("2024-02-29T23:59:00.000Z");
  assert.equal(quota.check("a").remaining, 70);
});

Deno.test("ClientTokenQuota: says what is wrong with its options, never quoting them", () => {
  for (const bad of [0, 1.5, -1, NaN, "100"]) {
    assert.throws(
      () => new ClientTokenQuota({ tokens: bad as number, period: "day" }),
      /tokenQuota\.tokens must be a whole number/,
    );
  }
  assert.throws(
    () => new ClientTokenQuota({ tokens: 1, period: "yearly" as TokenQuotaPeriod }),
    (err: Error) => /tokenQuota\.period must be/.test(err.message) && !/yearly/.test(err.message),
  );
});

Deno.test("tokenQuota: a key over its quota gets 403 TokenQuotaExceeded with the reset time, nothing goes upstream, and it is let through in the next window", async () => {
  let now = Date.parse("2026-03-14T10:30:00.000Z");
  const errors: string[] = [];
  const t = testApp({
    tokenQuota: { tokens: 30, period: "hour" },
    now: () => now,
    onError: (m) => errors.push(m),
  });
  const first = await t.call(CHAT, { json: hi });
  assert.equal(first.status, 200);
  const used = (await first.json()).usage.total_tokens;
  assert.ok(used > 30, `usage ${used} spends the 30-token quota`);
  await turns();
  const refused = await t.call(CHAT, { json: hi });
  assert.equal(refused.status, 403);
  assert.equal(refused.headers.get("retry-after"), null);
  const text = await refused.text();
  assert.ok(!text.includes(KEY));
  const { error } = JSON.parse(text);
  assert.equal(error.code, "TokenQuotaExceeded");
  assert.equal(
    error.message,
    "This client key used up its token quota of 30 tokens per hour on this edge app; it resets " +
      "at 2026-03-14T11:00:00.000Z.",
  );
  assert.equal(t.upstream.length, 1, "the refused request never went upstream");
  // Embeddings are counted against the same quota; other routes are not.
  const embed = await t.call(azurePath("text-embedding-3-small", "embeddings"), {
    json: { input: "hi" },
  });
  assert.equal(embed.status, 403);
  await embed.body?.cancel();
  now = Date.parse("2026-03-14T10:59:59.999Z");
  assert.equal((await errorOf(await t.call(CHAT, { json: hi }))).code, "TokenQuotaExceeded");
  now = Date.parse("2026-03-14T11:00:00.000Z");
  const next = await t.call(CHAT, { json: hi });
  assert.equal(next.status, 200);
  await next.body?.cancel();
  assert.deepEqual(errors, []);
});

Deno.test("tokenQuota: a refused request's onRequest event says it was refused for the quota", async () => {
  const events: EdgeRequestEvent[] = [];
  const pending: Promise<unknown>[] = [];
  const t = testApp({
    tokenQuota: { tokens: 1, period: "day" },
    now: () => Date.parse("2026-03-14T10:30:00.000Z"),
    onRequest: (event) => void events.push(event),
  });
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
  const call = () =>
    t.app.fetch(
      new Request(`http://edge.test${CHAT}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify(hi),
      }),
      undefined,
      ctx,
    );
  await (await call()).text();
  await Promise.all(pending);
  await (await call()).text();
  await Promise.all(pending);
  assert.deepEqual(events.map((e) => [e.status, e.error]), [
    [200, undefined],
    [403, "TokenQuotaExceeded"],
  ]);
  assert.ok(!JSON.stringify(events).includes(KEY));
});

Deno.test("tokenQuota: a key's own quota replaces the app's, and false turns it off for that key", async () => {
  const now = () => Date.parse("2026-03-14T10:30:00.000Z");
  const t = testApp({
    tokenQuota: { tokens: 1, period: "day" },
    clientKeys: [
      KEY,
      { key: OWN, tokenQuota: { tokens: 1_000_000, period: "week" } },
      { key: FREE, tokenQuota: false },
    ],
    now,
  });
  const statuses = async (key: string, n: number) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const res = await t.call(CHAT, { json: hi, ...as(key) });
      out.push(res.status);
      await res.text();
      await turns();
    }
    return out;
  };
  assert.deepEqual(await statuses(KEY, 2), [200, 403]);
  assert.deepEqual(await statuses(OWN, 3), [200, 200, 200]);
  assert.deepEqual(await statuses(FREE, 3), [200, 200, 200]);
  // Each key counts on its own: the keys above used none of each other's.
  const small = testApp({
    clientKeys: [KEY, { key: OWN, tokenQuota: { tokens: 1, period: "month" } }],
    now,
  });
  const own = await small.call(CHAT, { json: hi, ...as(OWN) });
  await own.text();
  await turns();
  const refused = await small.call(CHAT, { json: hi, ...as(OWN) });
  assert.match(
    (await errorOf(refused)).message,
    /of 1 tokens per month on this edge app; it resets at 2026-04-01T00:00:00\.000Z\.$/,
  );
  const other = await small.call(CHAT, { json: hi });
  assert.equal(other.status, 200, "the app has no quota");
  await other.body?.cancel();
});

Deno.test("tokenQuota: charged the same tokens as tokenLimit, both from the reply's usage", async () => {
  const charged: Array<[string, string, number]> = [];
  const quota: TokenQuotaLimiter = {
    check: () => ({ ok: true, remaining: 1_000_000, resetAt: 0 }),
    charge: (client, n) => void charged.push(["quota", client, n]),
  };
  const t = testApp({
    tokenQuota: { tokens: 1_000_000, period: "day", limiter: quota },
    tokenLimit: {
      limiter: {
        check: () => ({ ok: true, retryAfterSeconds: 0, remaining: 1_000_000 }),
        charge: (client, n) => void charged.push(["limit", client, n]),
      },
    },
  });
  const res = await t.call(CHAT, { json: hi });
  const used = (await res.json()).usage.total_tokens;
  await turns();
  const id = await clientIdOf(KEY);
  assert.deepEqual(charged, [["limit", id, used], ["quota", id, used]]);
});

Deno.test("tokenQuota: concurrent requests are let through only while the quota less their prompt estimates lasts", async () => {
  const quota = new ClientTokenQuota({ tokens: 100, period: "day", now: () => 0 });
  const { app, state, open } = heldApp({
    tokenQuota: { tokens: 100, period: "day", limiter: quota },
  });
  // 200 characters: an estimate of 50 prompt tokens each, against 100 left.
  const body = bodyOf(200);
  let answered = 0;
  let all!: () => void;
  const arrived = new Promise<void>((resolve) => all = resolve);
  const check = () => state.calls + answered === 5 && all();
  state.onCall = check;
  const pending = Array.from({ length: 5 }, () =>
    app.fetch(ask(body)).then((res) => {
      if (res.status !== 200) answered++;
      check();
      return res;
    }));
  await arrived;
  assert.equal(state.calls, 2, "two requests in flight hold the whole quota");
  open();
  const responses = await Promise.all(pending);
  // Tokens were left: held by the two in flight, a 429 to retry shortly, not the window's 403.
  assert.deepEqual(responses.map((res) => res.status), [200, 200, 429, 429, 429]);
  assert.equal(responses[2].headers.get("retry-after"), "1");
  assert.match((await errorOf(responses[2])).message, /requests in flight/);
  for (const res of responses) if (!res.bodyUsed) await res.body?.cancel();
  await turns();
  // Charged their usage (10 each), not the estimates: 80 left, and the next one goes through.
  assert.equal(quota.check(await clientIdOf(KEY)).remaining, 80);
  const later = app.fetch(ask(body));
  await turns();
  assert.equal(state.calls, 3);
  open();
  assert.equal((await later).status, 200);
  await (await later).body?.cancel();
});

Deno.test("tokenQuota: a body sent without its length is checked again once read", async () => {
  const { app, state, open } = heldApp({
    tokenQuota: {
      tokens: 100,
      period: "day",
      limiter: new ClientTokenQuota({ tokens: 100, period: "day", now: () => 0 }),
    },
  });
  const called = new Promise<void>((resolve) => state.onCall = resolve);
  // 400 characters, as a chunked body: 100 tokens, held once the app has read them.
  const first = app.fetch(ask(bodyOf(400), undefined, false));
  await called;
  state.onCall = open;
  const second = await app.fetch(ask(bodyOf(60), undefined, false));
  assert.equal(second.status, 429, "the first request holds the whole quota: retry shortly");
  await second.body?.cancel();
  open();
  assert.equal((await first).status, 200);
  await (await first).body?.cancel();
});

Deno.test("tokenQuota: a store that hangs or fails lets the request through and is reported", async () => {
  const errors: string[] = [];
  const hanging: TokenQuotaLimiter = {
    check: () => new Promise(() => {}),
    charge: () => new Promise(() => {}),
  };
  const t = testApp({
    tokenQuota: { tokens: 1, period: "day", limiter: hanging, timeoutMs: 5 },
    onError: (m) => errors.push(m),
  });
  const pending: Promise<unknown>[] = [];
  const res = await t.app.fetch(
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
  assert.deepEqual(errors, [
    "token quota failed, request let through: no answer within 5 ms",
    `token quota failed to count ${used} tokens: no answer within 5 ms`,
  ]);
  const failing = testApp({
    tokenQuota: {
      tokens: 1,
      period: "day",
      limiter: {
        check: () => Promise.reject(new Error(`store down for ${KEY}`)),
        charge: () => {},
      },
    },
    onError: (m) => errors.push(m),
  });
  errors.length = 0;
  const through = await failing.call(CHAT, { json: hi });
  assert.equal(through.status, 200);
  await through.body?.cancel();
  assert.deepEqual(errors, ["token quota failed, request let through: store down for ***"]);
});

Deno.test("createEdgeApp(): says what is wrong with a tokenQuota, never quoting it", () => {
  const bad: Array<[unknown, RegExp]> = [
    [{ tokens: 0, period: "day" }, /tokenQuota\.tokens must be a whole number/],
    [
      { tokens: 10, period: "Daily" },
      /tokenQuota\.period must be "hour", "day", "week" or "month"/,
    ],
    [{ tokens: 10, period: "day", limiter: {} }, /tokenQuota\.limiter must have check/],
    [{ tokens: 10, period: "day", timeoutMs: 0 }, /tokenQuota\.timeoutMs must be/],
    ["1000/day", /tokenQuota must be \{ tokens, period \}/],
  ];
  for (const [tokenQuota, message] of bad) {
    assert.throws(
      () => testApp({ tokenQuota: tokenQuota as never }),
      message,
      JSON.stringify(tokenQuota),
    );
  }
  assert.throws(
    () => testApp({ clientKeys: [{ key: OWN, tokenQuota: { tokens: -1, period: "day" } }] }),
    /clientKeys\[0\]\.tokenQuota\.tokens must be/,
  );
});
