import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp, type EdgeRequestEvent, MemoryCache } from "../../edge/mod.ts";
import { azurePath, testApp } from "./_helpers.ts";

// No onRequest event holds a key or token (upstream, client, bearer, a wrong one presented), nor
// any prompt, input or reply text, whatever the request and however it ends.

const UPSTREAM = "Qw7UpZk3Rm9Xv2Lt5Ns8Hb4Jd6Fg1Ac0";
const CLIENT = "Tz4Kq8Wm2Yx6Vn3Pj7Rb5Lc9";
const BEARER = "Gh2Mx7Qs9Zw4Bk8Nd3Ft6Vy1";
const WRONG = "Xp5Jr1Wn8Kc3Mz6Qt9Lb2Hs4";
/** Words of the prompts and inputs; the emulator's replies echo them. */
const PROMPT = "Vb8PromptWordKr3Qm";
const INPUT = "Hd5InputWordNz7Tc";
const CHAT = azurePath("gpt-4o", "chat/completions");
const EMBED = azurePath("text-embedding-3-small", "embeddings");

function assertClean(text: string, secrets: string[], label: string): void {
  for (const secret of secrets) {
    for (let i = 0; i + 8 <= secret.length; i++) {
      const piece = secret.slice(i, i + 8);
      assert.ok(!text.includes(piece), `${label}: ${piece} of ${secret} in ${text}`);
    }
  }
}

Deno.test("no onRequest event holds a key, token, prompt, input or reply text", async () => {
  const events: EdgeRequestEvent[] = [];
  const onRequest = (event: EdgeRequestEvent) => void events.push(event);
  const t = testApp({
    clientKeys: [CLIENT, BEARER],
    cache: new MemoryCache(),
    chatCache: true,
    onRequest,
    onError: () => {},
  });
  // An upstream that echoes its key and the request body into the error's code and message.
  let echoCode: "key" | "body" = "key";
  const echo = createEdgeApp({
    upstream: new AzureOpenAI({
      endpoint: "https://res.openai.azure.com",
      apiKey: UPSTREAM,
      fetch: async (req) => {
        const key = req.headers.get("api-key");
        const body = await req.text();
        const code = echoCode === "key" ? key : `bad ${body}`;
        return new Response(JSON.stringify({ error: { code, message: `no ${key} ${body}` } }), {
          status: 429,
          headers: { "content-type": "application/json", "x-echo": `${key}` },
        });
      },
    }),
    clientKeys: [CLIENT],
    onRequest,
    onError: () => {},
  });
  const asKey = { "api-key": CLIENT };
  const asBearer = { authorization: `Bearer ${BEARER}` };
  const chat = (extra: Record<string, unknown> = {}) => ({
    messages: [{ role: "user", content: `say ${PROMPT} ${PROMPT}` }],
    ...extra,
  });
  const sends: Array<() => Promise<Response>> = [
    () => t.call(CHAT, { headers: { "api-key": WRONG }, json: chat() }),
    () => t.call(CHAT, { headers: { authorization: `Bearer ${WRONG}` }, json: chat() }),
    () => t.call(`/${CLIENT}/${PROMPT}`, { headers: asKey }),
    () => t.call(CHAT, { headers: asBearer, method: "POST", body: `{"k": ${PROMPT}}` }),
    () => t.call(CHAT, { headers: asKey, json: { messages: PROMPT } }),
    () => t.call(azurePath(PROMPT, "chat/completions"), { headers: asKey, json: chat() }),
    () => t.call(CHAT, { headers: asKey, json: chat() }),
    () =>
      t.call(CHAT, {
        headers: asBearer,
        json: chat({ stream: true, stream_options: { include_usage: true } }),
      }),
    () => t.call(CHAT, { headers: asKey, json: chat({ seed: 7 }) }),
    () => t.call(CHAT, { headers: asKey, json: chat({ seed: 7, stream: true }) }),
    () => t.call(EMBED, { headers: asBearer, json: { input: [INPUT, `${INPUT}2`] } }),
    () => t.call(EMBED, { headers: asBearer, json: { input: [INPUT, `${INPUT}2`] } }),
    () =>
      echo.fetch(
        new Request(`http://edge.test${CHAT}`, {
          method: "POST",
          headers: { ...asKey, "content-type": "application/json" },
          body: JSON.stringify(chat()),
        }),
      ),
    () => {
      echoCode = "body";
      return echo.fetch(
        new Request(`http://edge.test${EMBED}`, {
          method: "POST",
          headers: { ...asKey, "content-type": "application/json" },
          body: JSON.stringify({ input: INPUT }),
        }),
      );
    },
  ];
  const replies: string[] = [];
  for (const send of sends) {
    const res = await send();
    replies.push(await res.text());
  }
  // The replies do echo the prompt (so the sweep below would see a leak of reply text).
  assert.ok(replies.some((r) => r.includes(PROMPT)));
  for (let i = 0; events.length < sends.length && i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  assert.equal(events.length, sends.length);
  // The echoed codes (the key, scrubbed; a sentence quoting the body) give way to the status.
  assert.deepEqual(events.filter((e) => e.status === 429).map((e) => e.error), ["429", "429"]);
  const secrets = [UPSTREAM, CLIENT, BEARER, WRONG, PROMPT, INPUT, t.emulator.apiKey];
  for (const [i, event] of events.entries()) {
    assertClean(JSON.stringify(event), secrets, `event ${i}`);
  }
});

Deno.test("no onRequest event names a deployment holding a client key, whatever the upstream answered", async () => {
  const events: EdgeRequestEvent[] = [];
  let answer = 0;
  const app = createEdgeApp({
    upstream: new AzureOpenAI({
      endpoint: "https://res.openai.azure.com",
      apiKey: UPSTREAM,
      // Unreachable, throttled, failing: the name is never confirmed (nor refused with a 404).
      fetch: () =>
        answer === 0 ? Promise.reject(new TypeError("connection refused")) : Promise.resolve(
          Response.json({ error: { code: String(answer), message: "busy" } }, { status: answer }),
        ),
    }),
    clientKeys: [CLIENT, BEARER],
    onRequest: (event) => void events.push(event),
    onError: () => {},
  });
  // A key as sent, inside a name, and lower-cased (the same key to anyone who reads it).
  const names = [CLIENT, `${BEARER}-deployment`, CLIENT.toLowerCase(), "gpt-4o"];
  for (answer of [0, 429, 503]) {
    for (const name of names) {
      const res = await app.fetch(
        new Request(`http://edge.test${azurePath(name, "chat/completions")}`, {
          method: "POST",
          headers: { "api-key": CLIENT, "content-type": "application/json" },
          body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
        }),
      );
      await res.text();
    }
  }
  for (let i = 0; events.length < 12 && i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  assert.equal(events.length, 12);
  assert.deepEqual(
    events.map((e) => e.status),
    [502, 502, 502, 502, 429, 429, 429, 429, 503, 503, 503, 503],
  );
  // A plain name is still reported.
  const plain = [undefined, undefined, undefined, "gpt-4o"];
  assert.deepEqual(events.map((e) => e.deployment), [...plain, ...plain, ...plain]);
  for (const [i, event] of events.entries()) {
    const text = JSON.stringify(event).toLowerCase();
    assertClean(text, [CLIENT.toLowerCase(), BEARER.toLowerCase()], `event ${i}`);
  }
});
