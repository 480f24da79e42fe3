import assert from "node:assert/strict";
import {
  clientIdOf,
  ClientTokenLimiter,
  type EdgeRequestEvent,
  MemoryCache,
  type TokenLimiter,
} from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, recordingLimiter, sseData, testApp } from "./_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const EMBED = azurePath("text-embedding-3-small", "embeddings");
const MESSAGES = [{ role: "user", content: "one two three four five six seven eight" }];

/** Lets the app's delivery run (bounded: a few task turns, no time threshold). */
async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

Deno.test("tokenLimit: a client is charged its usage and refused with 429 once its budget is used", async () => {
  let now = 1_000_000;
  const r = recordingLimiter(new ClientTokenLimiter({ tokensPerMinute: 40, now: () => now }));
  const t = testApp({ tokenLimit: { limiter: r.limiter } });
  const client = await clientIdOf(KEY);
  const first = await t.call(CHAT, { json: { messages: MESSAGES } });
  assert.equal(first.status, 200);
  const used = (await first.json()).usage.total_tokens;
  assert.ok(used > 20 && used < 40, `usage ${used} leaves part of a 40-token budget`);
  await r.reach(1);
  await turns(); // the limiter's charge() returns (until then the charge is held as well)
  assert.deepEqual(r.charges, [[client, used]], "charged the reply's total_tokens, by client id");
  const second = await t.call(CHAT, { json: { messages: MESSAGES } });
  assert.equal(second.status, 200, "let through while budget is left");
  // A reply the client drops after its headers is still charged: its usage is read off the rest.
  await second.body?.cancel();
  await r.reach(2);
  assert.equal(r.charges[1][1], used, "the dropped reply's usage, read off its body");
  const refused = await t.call(CHAT, { json: { messages: MESSAGES } });
  assert.equal(refused.status, 429);
  const owedMs = (used + r.charges[1][1]) * 60_000 / 40;
  const wait = Math.ceil((owedMs - 60_000 + 1) / 1000);
  assert.equal(refused.headers.get("retry-after"), String(wait));
  const error = await errorOf(refused);
  assert.equal(error.code, "429");
  assert.match(
    error.message,
    new RegExp(`more than 40 tokens per minute.*retry after ${wait} seconds`),
  );
  assert.equal(t.upstream.length, 2, "the refused request never went upstream");
  now += wait * 1000;
  const later = await t.call(CHAT, { json: { messages: MESSAGES } });
  assert.equal(later.status, 200, "let through again once the budget refilled past zero");
  await later.body?.cancel();
});

Deno.test("tokenLimit: embeddings are charged for the inputs sent upstream; a full cache hit is free", async () => {
  const r = recordingLimiter(new ClientTokenLimiter({ tokensPerMinute: 1_000_000 }));
  const t = testApp({ cache: new MemoryCache(), tokenLimit: { limiter: r.limiter } });
  const usages = [];
  for (const input of [["alpha", "beta"], ["beta", "gamma"], ["alpha", "gamma"]]) {
    const res = await t.call(EMBED, { json: { input } });
    usages.push((await res.json()).usage.total_tokens);
  }
  await r.reach(2);
  await turns();
  assert.deepEqual(r.charges.map(([, n]) => n), usages.slice(0, 2), "miss and partial charged");
  assert.equal(usages[2], 0, "the hit used no tokens");
});

Deno.test("tokenLimit: a stream with include_usage is charged its usage, which the client gets", async () => {
  const r = recordingLimiter(new ClientTokenLimiter({ tokensPerMinute: 1_000_000 }));
  const t = testApp({ tokenLimit: { limiter: r.limiter } });
  const withUsage = await t.call(CHAT, {
    json: { messages: MESSAGES, stream: true, stream_options: { include_usage: true } },
  });
  const events = sseData(await withUsage.text());
  const usage = JSON.parse(events.at(-2)!).usage;
  await r.reach(1);
  assert.equal(r.charges[0][1], usage.total_tokens);
});

Deno.test("tokenLimit: a stream without include_usage is sent asking for it, charged that usage, and the client does not see it", async () => {
  const r = recordingLimiter(new ClientTokenLimiter({ tokensPerMinute: 1_000_000 }));
  const events: EdgeRequestEvent[] = [];
  const t = testApp({ tokenLimit: { limiter: r.limiter }, onRequest: (e) => void events.push(e) });
  const plain = testApp(); // the same upstream behaviour, no token limit
  const body = { messages: MESSAGES, stream: true, stream_options: { other: 1 } };
  const res = await t.call(CHAT, { json: body });
  const seen = await res.text();
  const asked = JSON.parse(await t.upstreamBodies[0]);
  assert.deepEqual(asked.stream_options, { other: 1, include_usage: true }, "asked upstream");
  // What the client gets is what it would get without the token limit: no usage event.
  const direct = await (await plain.call(CHAT, { json: body })).text();
  // The two calls differ only in their id and, across a second boundary, `created`.
  const sameIds = (text: string) =>
    text.replace(/chatcmpl-\w+/g, "chatcmpl-x").replace(/"created":\d+/g, '"created":0');
  assert.equal(sameIds(seen), sameIds(direct));
  assert.ok(!sseData(seen).some((d) => d !== "[DONE]" && JSON.parse(d).usage));
  await r.reach(1);
  const withUsage = await plain.call(CHAT, {
    json: { ...body, stream_options: { include_usage: true } },
  });
  const usage = JSON.parse(sseData(await withUsage.text()).at(-2)!).usage;
  assert.equal(r.charges[0][1], usage.total_tokens, "charged what the service counted");
  await turns();
  assert.deepEqual(events[0].usage, usage, "the event reports it");
});

Deno.test("tokenLimit: a stream on an api-version before stream_options is estimated, 4 characters a token", async () => {
  const r = recordingLimiter(new ClientTokenLimiter({ tokensPerMinute: 1_000_000 }));
  const t = testApp({ tokenLimit: { limiter: r.limiter } });
  const body = { messages: MESSAGES, stream: true };
  const old = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-05-01-preview";
  const without = await t.call(old, { json: body });
  assert.equal(without.status, 200);
  let text = "";
  for (const data of sseData(await without.text())) {
    if (data !== "[DONE]") text += JSON.parse(data).choices[0]?.delta?.content ?? "";
  }
  assert.equal(JSON.parse(await t.upstreamBodies[0]).stream_options, undefined, "not asked");
  await r.reach(1);
  const estimate = Math.ceil(JSON.stringify(body).length / 4) + Math.ceil(text.length / 4);
  assert.ok(text.length > 0);
  assert.equal(r.charges[0][1], estimate, "4 characters a token over the request and the reply");
});

Deno.test("tokenLimit: a stream the client cancels is charged for what was streamed", async () => {
  const r = recordingLimiter(new ClientTokenLimiter({ tokensPerMinute: 1_000_000 }));
  const t = testApp({ tokenLimit: { limiter: r.limiter } });
  const body = { messages: MESSAGES, stream: true, max_tokens: 50 };
  const res = await t.call(CHAT, { json: body });
  const reader = res.body!.getReader();
  await reader.read();
  await reader.cancel();
  await r.reach(1);
  assert.ok(
    r.charges[0][1] >= Math.ceil(JSON.stringify(body).length / 4),
    "at least the request's estimate, although no usage came",
  );
});

Deno.test("tokenLimit: error answers are not charged", async () => {
  const r = recordingLimiter(new ClientTokenLimiter({ tokensPerMinute: 1_000_000 }));
  const t = testApp({ tokenLimit: { limiter: r.limiter } });
  const res = await t.call(CHAT, { json: { messages: MESSAGES, temperature: 9 } });
  assert.equal(res.status, 400);
  await res.body?.cancel();
  await turns();
  assert.deepEqual(r.charges, []);
});

Deno.test("tokenLimit: a failing limiter lets requests through and its failures go to onError", async () => {
  const errors: string[] = [];
  const limiter: TokenLimiter = {
    check: () => Promise.reject(new Error("KV down")),
    charge: () => Promise.reject(new Error("KV still down")),
  };
  const t = testApp({ tokenLimit: { limiter }, onError: (m) => errors.push(m) });
  const res = await t.call(CHAT, { json: { messages: MESSAGES } });
  assert.equal(res.status, 200);
  const used = (await res.json()).usage.total_tokens;
  for (let i = 0; i < 20 && errors.length < 2; i++) await turns(1);
  assert.deepEqual(errors, [
    "token limiter failed, request let through: KV down",
    `token limiter failed to count ${used} tokens: KV still down`,
  ]);
});

Deno.test("tokenLimit: options are checked, naming what to fix", () => {
  assert.throws(
    () => testApp({ tokenLimit: { tokensPerMinute: 0 } }),
    /tokenLimit\.tokensPerMinute must be a number of tokens per minute of at least 1/,
  );
  assert.throws(
    () =>
      testApp({
        tokenLimit: {
          tokensPerMinute: 10,
          limiter: new ClientTokenLimiter({ tokensPerMinute: 10 }),
        },
      }),
    /tokenLimit\.tokensPerMinute or tokenLimit\.limiter, not both/,
  );
  assert.throws(
    () =>
      testApp({
        tokenLimit: { limiter: { check: () => ({ ok: true, retryAfterSeconds: 0 }) } as never },
      }),
    /tokenLimit\.limiter must have check\(client\) and charge\(client, tokens\) methods/,
  );
  assert.throws(
    () => testApp({ tokenLimit: { tokensPerMinute: 10, timeoutMs: -1 } }),
    /tokenLimit\.timeoutMs must be a positive number/,
  );
});

Deno.test("tokenLimit: a client over its budget may still poll its DALL-E 2 operation and make images", async () => {
  const now = 0;
  const limiter = new ClientTokenLimiter({ tokensPerMinute: 10, now: () => now });
  const t = testApp({ tokenLimit: { limiter }, emulator: { operationPolls: 0 } });
  const version = "2023-09-01-preview";
  const accepted = await t.call(`/openai/images/generations:submit?api-version=${version}`, {
    json: { prompt: "a lighthouse", n: 1, size: "256x256" },
  });
  assert.equal(accepted.status, 202);
  const location = new URL(accepted.headers.get("operation-location")!);
  await accepted.body?.cancel();
  limiter.charge(await clientIdOf(KEY), 1000); // the budget is spent (by chat, say)
  const chat = await t.call(CHAT, { json: { messages: MESSAGES } });
  assert.equal(chat.status, 429, "a charged route is refused");
  await chat.body?.cancel();
  const poll = await t.call(location.pathname + location.search);
  assert.equal(poll.status, 200, "polling is not charged, so not refused");
  assert.equal((await poll.json()).status, "succeeded");
  const image = await t.call(azurePath("dall-e-3", "images/generations"), {
    json: { prompt: "a fox" },
  });
  assert.equal(image.status, 200, "images are not charged, so not refused");
  await image.body?.cancel();
});

Deno.test("tokenLimit: a charge that hangs is reported after tokenLimit.timeoutMs and holds nothing open", async () => {
  const errors: string[] = [];
  const limiter: TokenLimiter = {
    check: () => ({ ok: true, retryAfterSeconds: 0 }),
    charge: () => new Promise<void>(() => {}),
  };
  const t = testApp({ tokenLimit: { limiter, timeoutMs: 5 }, onError: (m) => errors.push(m) });
  const waits: Promise<unknown>[] = [];
  const res = await t.app.fetch(
    new Request(`http://edge.test${EMBED}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ input: "hello" }),
    }),
    undefined,
    { waitUntil: (p: Promise<unknown>) => void waits.push(p) },
  );
  const used = (await res.json()).usage.total_tokens;
  await Promise.all(waits); // settles: the hanging charge no longer holds ctx.waitUntil
  // On a loaded machine the 5 ms check (the client id is hashed first) may time out too and let
  // the request through: that report is not what this test is about.
  assert.deepEqual(errors.filter((e) => !/request let through/.test(e)), [
    `token limiter failed to count ${used} tokens: no answer within 5 ms`,
  ]);
});
