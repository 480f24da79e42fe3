import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { clientIdOf, createEdgeApp, type EdgeRequestEvent, MemoryCache } from "../../edge/mod.ts";
import { azurePath, collectUnhandled, KEY, sseData, testApp } from "./_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const EMBED = azurePath("text-embedding-3-small", "embeddings");
const MESSAGES = [{ role: "user", content: "one two three four five six seven eight" }];
const CLOCK = 1_700_000_000_000;

/** The events an app delivered, and a way to wait for the n-th one. */
function recorder() {
  const events: EdgeRequestEvent[] = [];
  const waiting: Array<{ n: number; resolve: () => void }> = [];
  const onRequest = (event: EdgeRequestEvent) => {
    events.push(event);
    for (const w of waiting.filter((w) => events.length >= w.n)) w.resolve();
  };
  /** Resolves once `n` events were delivered (default: one more than now). */
  const reach = (n = events.length + 1) =>
    events.length >= n ? Promise.resolve() : new Promise<void>((resolve) => {
      waiting.push({ n, resolve });
    });
  return { events, onRequest, reach };
}

/** Lets pending timers and microtasks run (no time threshold: one task turn, twice). */
async function settle(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

Deno.test("onRequest: embeddings miss, partial and hit carry cache, usage, upstream and client", async () => {
  const r = recorder();
  const t = testApp({ cache: new MemoryCache(), onRequest: r.onRequest, now: () => CLOCK });
  const client = await clientIdOf(KEY);
  const bodies = [];
  for (const input of [["alpha", "beta"], ["beta", "gamma"], ["alpha", "gamma"]]) {
    const res = await t.call(EMBED, { json: { input } });
    assert.equal(res.status, 200);
    bodies.push(await res.json());
    await r.reach();
  }
  assert.deepEqual(r.events.map((e) => e.cache), ["miss", "partial", "hit"]);
  assert.deepEqual(r.events.map((e) => e.upstream), [0, 0, undefined]);
  for (const [i, event] of r.events.entries()) {
    assert.deepEqual(event.usage, bodies[i].usage, `usage of request ${i} as the client got it`);
    assert.equal(event.route, "embeddings");
    assert.equal(event.deployment, "text-embedding-3-small");
    assert.equal(event.client, client);
    assert.equal(event.method, "POST");
    assert.equal(event.status, 200);
    assert.equal(event.stream, false);
    assert.equal(event.error, undefined);
    assert.equal(event.time, new Date(CLOCK).toISOString());
    assert.equal(event.durationMs, 0);
  }
  assert.ok(r.events[0].usage!.prompt_tokens > 0);
  assert.ok(r.events[1].usage!.prompt_tokens > 0, "the partial miss counts the input sent");
  assert.deepEqual(r.events[2].usage, { prompt_tokens: 0, total_tokens: 0 }, "a full hit is 0");
  await settle();
  assert.equal(r.events.length, 3);
});

Deno.test("onRequest: a streamed chat with include_usage reports the usage of its last chunk", async () => {
  const r = recorder();
  const t = testApp({ onRequest: r.onRequest });
  const res = await t.call(CHAT, {
    json: { messages: MESSAGES, stream: true, stream_options: { include_usage: true } },
  });
  const chunks = sseData(await res.text()).filter((d) => d !== "[DONE]").map((d) => JSON.parse(d));
  await r.reach();
  const last = chunks.at(-1);
  assert.ok(last.usage?.completion_tokens > 0);
  const [event] = r.events;
  assert.deepEqual(event.usage, {
    prompt_tokens: last.usage.prompt_tokens,
    completion_tokens: last.usage.completion_tokens,
    total_tokens: last.usage.total_tokens,
  });
  assert.equal(event.stream, true);
  assert.equal(event.route, "chat");
  assert.equal(event.deployment, "gpt-4o");
  assert.equal(event.status, 200);
  assert.equal(event.upstream, 0);
  assert.equal(event.cache, undefined);
  assert.equal(event.error, undefined);
});

Deno.test("onRequest: a streamed chat without include_usage has no usage", async () => {
  const r = recorder();
  const t = testApp({ onRequest: r.onRequest });
  const res = await t.call(CHAT, { json: { messages: MESSAGES, stream: true } });
  assert.ok(sseData(await res.text()).includes("[DONE]"));
  await r.reach();
  assert.equal(r.events[0].usage, undefined);
  assert.equal(r.events[0].stream, true);
  assert.equal(r.events[0].status, 200);
});

Deno.test("onRequest: a non-streamed chat reports the usage of the JSON reply", async () => {
  const r = recorder();
  const t = testApp({ onRequest: r.onRequest });
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
    json: { messages: MESSAGES },
  });
  const body = await res.json();
  await r.reach();
  assert.deepEqual(r.events[0].usage, body.usage);
  assert.ok(body.usage.completion_tokens > 0);
  assert.equal(r.events[0].stream, false);
});

Deno.test("onRequest: /v1 routes name the resolved deployment and route kinds", async () => {
  const r = recorder();
  const t = testApp({ onRequest: r.onRequest, models: { "my-embed": "text-embedding-3-small" } });
  const embed = await t.call("/v1/embeddings", { json: { model: "my-embed", input: "x" } });
  await embed.body?.cancel();
  await r.reach(1);
  const health = await t.call("/health", { headers: { "api-key": "" } });
  await health.text();
  await r.reach(2);
  const unknown = await t.call("/nope");
  await unknown.text();
  await r.reach(3);
  const speech = await t.call("/v1/audio/speech", { json: {} });
  await speech.text();
  await r.reach(4);
  assert.deepEqual(r.events.map((e) => [e.route, e.deployment, e.status]), [
    ["embeddings", "text-embedding-3-small", 200],
    ["health", undefined, 200],
    ["other", undefined, 404],
    ["audio", undefined, 400],
  ]);
  assert.equal(r.events[0].error, "ClientClosedRequest", "the body was cancelled");
  assert.equal(r.events[1].client, undefined, "no key on /health");
  assert.equal(r.events[2].error, "404");
  assert.equal(typeof r.events[3].error, "string");
});

Deno.test("onRequest: an upstream 429 is reported with its status, code and upstream", async () => {
  const r = recorder();
  const t = testApp({ onRequest: r.onRequest });
  t.emulator.failNext(1, 429);
  const res = await t.call(CHAT, { json: { messages: MESSAGES } });
  assert.equal(res.status, 429);
  const body = await res.json();
  await r.reach();
  assert.equal(r.events[0].status, 429);
  assert.equal(r.events[0].error, body.error.code);
  assert.equal(r.events[0].error, "429");
  assert.equal(r.events[0].upstream, 0);
  assert.equal(r.events[0].usage, undefined);
});

Deno.test("onRequest: failover to the second upstream reports upstream 1", async () => {
  const r = recorder();
  const ups = [0, 1].map(() => createEmulator());
  const app = createEdgeApp({
    upstream: ups.map((emulator, i) =>
      new AzureOpenAI({
        endpoint: `http://up${i}.local`,
        apiKey: emulator.apiKey,
        fetch: (req, init) => emulator.fetch(req, init),
      })
    ),
    clientKeys: [KEY],
    onError: () => {},
    onRequest: r.onRequest,
  });
  ups[0].failNext(1, 429);
  const res = await app.fetch(
    new Request(`http://edge.test${CHAT}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ messages: MESSAGES }),
    }),
  );
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  const body = await res.json();
  await r.reach();
  assert.equal(r.events[0].upstream, 1);
  assert.equal(r.events[0].status, 200);
  assert.equal(r.events[0].error, undefined);
  assert.deepEqual(r.events[0].usage, body.usage);
  await settle();
  assert.equal(r.events.length, 1, "one event, not one per upstream tried");
});

Deno.test("onRequest: a 401 refusal has no client and the 401 code", async () => {
  const r = recorder();
  const t = testApp({ onRequest: r.onRequest });
  const res = await t.call(CHAT, {
    headers: { "api-key": "wrong-key-123456" },
    json: { messages: MESSAGES },
  });
  assert.equal(res.status, 401);
  await res.text();
  await r.reach();
  const [event] = r.events;
  assert.equal(event.status, 401);
  assert.equal(event.error, "401");
  assert.equal(event.client, undefined);
  assert.equal(event.deployment, undefined);
  assert.equal(event.route, "chat");
  assert.equal(event.upstream, undefined);
  assert.equal(t.upstream.length, 0);
});

Deno.test("onRequest: a client that cancels a stream mid-way still gets one event, without usage", async () => {
  const r = recorder();
  const cancelled: string[] = [];
  const t = testApp({
    onRequest: r.onRequest,
    emulator: { onStreamCancel: ({ deployment }) => cancelled.push(deployment) },
  });
  const res = await t.call(CHAT, {
    json: { messages: MESSAGES, stream: true, stream_options: { include_usage: true } },
  });
  const reader = res.body!.getReader();
  const first = await reader.read();
  assert.equal(first.done, false);
  await reader.cancel();
  await r.reach();
  await settle();
  assert.equal(r.events.length, 1);
  const [event] = r.events;
  assert.equal(event.status, 200);
  assert.equal(event.error, "ClientClosedRequest");
  assert.equal(event.usage, undefined);
  assert.equal(event.stream, true);
  assert.deepEqual(cancelled, ["gpt-4o"], "the cancel still reaches the upstream");
});

Deno.test("onRequest: a stream the upstream breaks is reported as UpstreamStreamError", async () => {
  const r = recorder();
  const t = testApp({ onRequest: r.onRequest, emulator: { faults: { dropStreamAfterChunks: 2 } } });
  const res = await t.call(CHAT, { json: { messages: MESSAGES, stream: true } });
  // The client's body ends with an error event (see stream_cut_ending_test.ts).
  assert.match(await res.text(), /"code":"UpstreamStreamError"/);
  await r.reach();
  assert.equal(r.events[0].error, "UpstreamStreamError");
  assert.equal(r.events[0].status, 200);
});

for (const kind of ["throws", "rejects"] as const) {
  Deno.test(`onRequest: a callback that ${kind} changes nothing and is reported through onError`, async () => {
    const { unhandled, stop } = collectUnhandled();
    try {
      const reported: string[] = [];
      let seen!: () => void;
      const called = new Promise<void>((resolve) => seen = resolve);
      const t = testApp({
        onError: (message) => {
          reported.push(message);
          seen();
        },
        onRequest: kind === "throws"
          ? () => {
            throw new Error("sink down");
          }
          : () => Promise.reject(new Error("sink down")),
      });
      const plain = testApp();
      const json = { messages: MESSAGES, seed: 1 };
      const res = await t.call(CHAT, { json });
      const expected = await plain.call(CHAT, { json });
      assert.equal(res.status, 200);
      const [got, want] = [await res.json(), await expected.json()];
      assert.deepEqual(got.choices, want.choices);
      await called;
      assert.deepEqual(reported, ["onRequest failed: sink down"]);
      await settle();
      assert.deepEqual(unhandled.map(String), []);
    } finally {
      stop();
    }
  });
}

Deno.test("onRequest: exactly one event per request, for concurrent mixed requests", async () => {
  const r = recorder();
  const t = testApp({ cache: new MemoryCache(), onRequest: r.onRequest });
  const requests = [
    () => t.call(EMBED, { json: { input: ["a", "b"] } }),
    () => t.call(CHAT, { json: { messages: MESSAGES } }),
    () => t.call(CHAT, { json: { messages: MESSAGES, stream: true } }),
    () => t.call(CHAT, { headers: { "api-key": "nope-nope-nope" }, json: {} }),
    () => t.call(CHAT, { json: { messages: "x" } }),
    () => t.call("/health"),
    () => t.call(CHAT, { method: "PUT" }),
    () => t.call(CHAT, { method: "OPTIONS" }),
    () => t.call("/", { method: "HEAD" }),
  ];
  const responses = await Promise.all(requests.map((send) => send()));
  await Promise.all(responses.map((res) => res.arrayBuffer()));
  await r.reach(requests.length);
  await settle();
  assert.equal(r.events.length, requests.length);
  assert.deepEqual(
    r.events.map((e) => e.status).sort(),
    responses.map((res) => res.status).sort(),
  );
});

Deno.test("onRequest: on Workers the delivery runs inside ctx.waitUntil", async () => {
  const r = recorder();
  const t = testApp({ onRequest: r.onRequest });
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
  const res = await t.app.fetch(
    new Request(`http://edge.test${CHAT}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ messages: MESSAGES }),
    }),
    {},
    ctx,
  );
  assert.equal(pending.length, 1, "handed to waitUntil with the response");
  assert.equal(r.events.length, 0);
  await res.text();
  await Promise.all(pending);
  assert.equal(r.events.length, 1, "delivered once the waitUntil promise settled");
});

Deno.test("onRequest: a JSON reply over 1 MiB still reports the usage at its end", async () => {
  const r = recorder();
  const t = testApp({ onRequest: r.onRequest });
  const input = Array.from({ length: 60 }, (_, i) => `input number ${i}`);
  const res = await t.call(EMBED, { json: { input, encoding_format: "float" } });
  const text = await res.text();
  assert.ok(text.length > 1024 * 1024, `a reply of ${text.length} bytes`);
  await r.reach();
  assert.deepEqual(r.events[0].usage, JSON.parse(text).usage);
});

Deno.test("onRequest: without it nothing is handed to ctx.waitUntil (the response is not observed)", async () => {
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
  const t = testApp();
  const res = await t.app.fetch(
    new Request(`http://edge.test${CHAT}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ messages: MESSAGES, stream: true }),
    }),
    {},
    ctx,
  );
  assert.ok(sseData(await res.text()).includes("[DONE]"));
  await settle();
  assert.equal(pending.length, 0);
});

Deno.test("onRequest: a client gone before the answer gets its event though nobody reads the body", async () => {
  const r = recorder();
  let called!: () => void;
  const upstreamCalled = new Promise<void>((resolve) => called = resolve);
  const app = createEdgeApp({
    upstream: new AzureOpenAI({
      endpoint: "http://up.local",
      apiKey: "upstream-key-1",
      fetch: (req, init) => {
        const signal = init?.signal ?? req.signal;
        called();
        return new Promise<Response>((_, reject) => {
          signal?.addEventListener("abort", () => reject(signal.reason));
        });
      },
    }),
    clientKeys: [KEY],
    onRequest: r.onRequest,
  });
  const controller = new AbortController();
  const pending = app.fetch(
    new Request(`http://edge.test${CHAT}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ messages: MESSAGES }),
      signal: controller.signal,
    }),
  );
  await upstreamCalled;
  controller.abort();
  const res = await pending;
  assert.equal(res.status, 499);
  // Delivery may wait on Web Crypto (the client id hash): a bounded number of task turns.
  for (let turn = 0; turn < 100 && r.events.length === 0; turn++) await settle();
  assert.equal(r.events.length, 1, "delivered without the body being read or cancelled");
  assert.equal(r.events[0].error, "ClientClosedRequest");
  await res.body?.cancel();
  await settle();
  assert.equal(r.events.length, 1);
});
