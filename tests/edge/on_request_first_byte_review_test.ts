/**
 * `firstByteMs` of `onRequest` events where no upstream stream is relayed: a cache hit, a body-less
 * 204 / 304 relay, HEAD, the app's own error answer. The app's clock is injected.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp, type EdgeRequestEvent, MemoryCache } from "../../edge/mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { azurePath, KEY } from "./_helpers.ts";

/**
 * Lets the events' delivery (a task or more later) run until `events` holds `n` (at most 1,000
 * turns: under load one turn was not always enough).
 */
async function delivered(events: unknown[], n = 1): Promise<void> {
  for (let i = 0; i < 1_000 && events.length < n; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

function app(options: { fetch?: () => Promise<Response>; cache?: boolean } = {}) {
  const emulator = createEmulator();
  const clock = { t: 0 };
  const events: EdgeRequestEvent[] = [];
  const edge = createEdgeApp({
    clientKeys: [KEY],
    upstream: new AzureOpenAI({
      endpoint: "http://emulator.local",
      apiKey: emulator.apiKey,
      fetch: options.fetch ?? emulator.fetch,
    }),
    now: () => clock.t,
    onRequest: (e) => void events.push(e),
    ...(options.cache ? { cache: new MemoryCache(), chatCache: { ttlSeconds: 60 } } : {}),
  });
  const call = (path: string, init: RequestInit = {}) =>
    edge.fetch(
      new Request(`http://edge.test${path}`, {
        ...init,
        headers: { "api-key": KEY, "content-type": "application/json", ...init.headers },
      }),
    );
  return { clock, events, call };
}

const CHAT = azurePath("gpt-4o", "chat/completions");
const ASK = JSON.stringify({ temperature: 0, messages: [{ role: "user", content: "hi" }] });

Deno.test("onRequest firstByteMs: a cache hit's first byte as the client reads it", async () => {
  const { clock, events, call } = app({ cache: true });
  await (await call(CHAT, { method: "POST", body: ASK })).text();
  clock.t = 10;
  const res = await call(CHAT, { method: "POST", body: ASK });
  assert.equal(res.headers.get("x-aoai-cache"), "hit");
  clock.t = 17;
  await res.json();
  await delivered(events, 2);
  assert.equal(events[1].cache, "hit");
  assert.equal(events[1].firstByteMs, 7);
  assert.equal(events[1].durationMs, 7);
});

Deno.test("onRequest firstByteMs: none for a 204 / 304 relay or HEAD; the app's own 401 has one", async () => {
  for (const status of [204, 304]) {
    const { clock, events, call } = app({
      fetch: () => Promise.resolve(new Response(null, { status })),
    });
    clock.t = 4;
    const res = await call("/openai/operations/images/abc?api-version=2024-02-01");
    assert.equal(res.status, status);
    assert.equal(res.body, null);
    await delivered(events);
    assert.equal(events.length, 1);
    assert.equal(events[0].firstByteMs, undefined, `${status}`);
  }
  {
    const { events, call } = app();
    const res = await call("/health", { method: "HEAD" });
    assert.equal(res.body, null);
    await delivered(events);
    assert.equal(events[0].firstByteMs, undefined, "HEAD");
  }
  const { clock, events, call } = app();
  const res = await call(CHAT, { method: "POST", body: ASK, headers: { "api-key": "wrong" } });
  assert.equal(res.status, 401);
  clock.t = 3;
  await res.text();
  await delivered(events);
  assert.equal(events[0].firstByteMs, 3);
});
