import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp, denoHandler, type EdgeRequestEvent } from "../../edge/mod.ts";
import { azurePath, KEY } from "./_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");

/** An app whose upstream is `fetch`, recording its events; `next` resolves with the first. */
function appWith(fetch: (req: Request, init?: RequestInit) => Promise<Response>) {
  const events: EdgeRequestEvent[] = [];
  let first!: (e: EdgeRequestEvent) => void;
  const next = new Promise<EdgeRequestEvent>((resolve) => first = resolve);
  const app = createEdgeApp({
    upstream: new AzureOpenAI({
      endpoint: "http://upstream.test",
      apiKey: "azure-secret-1",
      fetch,
    }),
    clientKeys: [KEY],
    onRequest: (event) => {
      events.push(event);
      first(event);
    },
  });
  return { app, events, next };
}

function post(url: string, body: unknown, signal: AbortSignal): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "api-key": KEY, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
}

Deno.test("onRequest over Deno.serve: an HTTP client that disconnects mid-stream gives one event", async () => {
  let cancelled!: () => void;
  const upstreamCancelled = new Promise<void>((resolve) => cancelled = resolve);
  const t = appWith(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('data: {"choices":[]}\n\n'));
        // Bounded: ends by itself after 5 s unless cancelled first.
        timer = setTimeout(() => c.close(), 5000);
      },
      cancel() {
        clearTimeout(timer);
        cancelled();
      },
    });
    return Promise.resolve(
      new Response(body, { headers: { "content-type": "text/event-stream" } }),
    );
  });
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    denoHandler(t.app),
  );
  const controller = new AbortController();
  const res = await post(
    `http://127.0.0.1:${server.addr.port}${CHAT}`,
    { messages: [{ role: "user", content: "hi" }], stream: true },
    controller.signal,
  );
  const reader = res.body!.getReader();
  assert.equal((await reader.read()).done, false);
  controller.abort();
  await reader.read().catch(() => {});
  await upstreamCancelled;
  const event = await t.next;
  assert.equal(event.status, 200);
  assert.equal(event.stream, true);
  assert.equal(event.error, "ClientClosedRequest");
  assert.equal(event.usage, undefined);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(t.events.length, 1);
});

Deno.test("onRequest over Deno.serve: a client gone before the upstream answered gives one 499 event", async () => {
  let called!: () => void;
  const upstreamCalled = new Promise<void>((resolve) => called = resolve);
  const t = appWith((req, init) => {
    const signal = init?.signal ?? req.signal;
    called();
    // Bounded: answers by itself after 5 s unless the signal aborts first.
    return new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => resolve(Response.json({ choices: [] })), 5000);
      signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
  });
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    denoHandler(t.app),
  );
  const controller = new AbortController();
  const pending = post(
    `http://127.0.0.1:${server.addr.port}${CHAT}`,
    { messages: [{ role: "user", content: "hi" }] },
    controller.signal,
  ).catch((err) => err);
  await upstreamCalled;
  controller.abort();
  await pending;
  const event = await t.next;
  assert.equal(event.status, 499);
  assert.equal(event.error, "ClientClosedRequest");
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(t.events.length, 1);
});
