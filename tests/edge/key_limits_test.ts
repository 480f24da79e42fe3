import assert from "node:assert/strict";
import { clientIdOf, ClientTokenLimiter } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, recordingLimiter, testApp } from "./_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const hi = { messages: [{ role: "user", content: "one two three four five six seven eight" }] };
const OWN = "own-limit-client-key-02";
const FREE = "unlimited-client-key-03";
const as = (key: string) => ({ headers: { "api-key": key } });

/** The statuses of `n` chat requests of `key`, bodies read. */
async function statuses(t: ReturnType<typeof testApp>, key: string, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const res = await t.call(CHAT, { json: hi, ...as(key) });
    out.push(res.status);
    await res.body?.cancel();
  }
  return out;
}

Deno.test("createEdgeApp(): a client key's own rateLimit replaces the app's, and false turns it off for that key", async () => {
  const t = testApp({
    rateLimit: { requestsPerMinute: 1 },
    clientKeys: [
      KEY,
      { key: OWN, rateLimit: { requestsPerMinute: 3 } },
      { key: FREE, rateLimit: false },
    ],
    now: () => 1_000_000,
  });
  assert.deepEqual(await statuses(t, KEY, 2), [200, 429]);
  assert.deepEqual(await statuses(t, OWN, 4), [200, 200, 200, 429]);
  assert.deepEqual(await statuses(t, FREE, 5), [200, 200, 200, 200, 200]);
  const refused = await t.call(CHAT, { json: hi, ...as(OWN) });
  assert.match((await errorOf(refused)).message, /sent more than 3 requests per minute/);
  assert.equal(t.upstream.length, 1 + 3 + 5);
});

Deno.test("createEdgeApp(): a client key's own tokenLimit is checked and charged while the app has none", async () => {
  const r = recordingLimiter(new ClientTokenLimiter({ tokensPerMinute: 30, now: () => 1_000_000 }));
  const t = testApp({ clientKeys: [KEY, { key: OWN, tokenLimit: { limiter: r.limiter } }] });
  const first = await t.call(CHAT, { json: hi, ...as(OWN) });
  assert.equal(first.status, 200);
  const used = (await first.json()).usage.total_tokens;
  assert.ok(used > 30, `usage ${used} spends the 30-token budget`);
  await r.reach(1);
  assert.deepEqual(r.charges, [[await clientIdOf(OWN), used]]);
  const refused = await t.call(CHAT, { json: hi, ...as(OWN) });
  assert.equal(refused.status, 429);
  assert.match((await errorOf(refused)).message, /used more than 30 tokens per minute/);
  // The other key has no budget: never refused, never charged.
  assert.deepEqual(await statuses(t, KEY, 3), [200, 200, 200]);
  assert.equal(r.charges.length, 1);
});

Deno.test("createEdgeApp(): an app token budget does not apply to a key with tokenLimit false", async () => {
  const r = recordingLimiter(new ClientTokenLimiter({ tokensPerMinute: 30, now: () => 1_000_000 }));
  const t = testApp({
    tokenLimit: { limiter: r.limiter },
    clientKeys: [KEY, { key: FREE, tokenLimit: false }],
  });
  assert.deepEqual(await statuses(t, FREE, 3), [200, 200, 200]);
  assert.deepEqual(r.charges, []);
  const first = await t.call(CHAT, { json: hi });
  await first.json();
  await r.reach(1);
  assert.deepEqual(await statuses(t, KEY, 1), [429]);
});

Deno.test("createEdgeApp() names the client key whose own limit is wrong", () => {
  for (
    const [entry, message] of [
      [
        { key: OWN, rateLimit: { requestsPerMinute: 0 } },
        /clientKeys\[1\]\.rateLimit\.requestsPerMinute must be a positive number/,
      ],
      [
        { key: OWN, tokenLimit: { tokensPerMinute: 0.5 } },
        /clientKeys\[1\]\.tokenLimit\.tokensPerMinute/,
      ],
      [
        { key: OWN, rateLimit: { requestsPerMinute: 5, timeoutMs: -1 } },
        /clientKeys\[1\]\.rateLimit\.timeoutMs/,
      ],
    ] as const
  ) {
    assert.throws(() => testApp({ clientKeys: [KEY, entry as never] }), (err: Error) => {
      assert.match(err.message, message);
      assert.ok(!err.message.includes(OWN), "no key in the message");
      return true;
    });
  }
});
