import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp, denoHandler } from "../../edge/mod.ts";
import { azurePath, KEY, testApp } from "./_helpers.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const CHAT = { messages: [{ role: "user", content: "hi" }], stream: true };

/** Resolves with `promise`, or rejects after `ms` so a broken test fails instead of hanging. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** An upstream whose SSE stream sends one event, then waits for `release()`. */
function gatedUpstream() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let onCancel!: (reason: unknown) => void;
  const cancelled = new Promise<unknown>((resolve) => (onCancel = resolve));
  const state = { finished: false, requests: 0 };
  const fetch = (_req: Request): Promise<Response> => {
    state.requests++;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('data: {"n":1}\n\n'));
      },
      async pull(controller) {
        await gate;
        controller.enqueue(encoder.encode('data: {"n":2}\n\ndata: [DONE]\n\n'));
        state.finished = true;
        controller.close();
      },
      cancel(reason) {
        onCancel(reason ?? "cancelled");
      },
    }, { highWaterMark: 0 });
    return Promise.resolve(
      new Response(body, { headers: { "content-type": "text/event-stream" } }),
    );
  };
  const app = createEdgeApp({
    upstream: new AzureOpenAI({ endpoint: "http://upstream.test", apiKey: "azure-key-1", fetch }),
    clientKeys: [KEY],
  });
  return { app, release, cancelled, state };
}

function streamRequest(signal?: AbortSignal): Request {
  return new Request(`http://edge.test${azurePath("gpt-4o", "chat/completions")}`, {
    method: "POST",
    headers: { "api-key": KEY, "content-type": "application/json" },
    body: JSON.stringify(CHAT),
    signal,
  });
}

Deno.test("app passes the first streamed event to the client before the upstream finishes", async () => {
  const up = gatedUpstream();
  const res = await up.app.fetch(streamRequest());
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  assert.equal(res.headers.get("cache-control"), "no-cache");
  const reader = res.body!.getReader();
  const first = await within(reader.read(), 5000, "first chunk");
  assert.equal(decoder.decode(first.value), 'data: {"n":1}\n\n');
  assert.equal(up.state.finished, false, "the upstream has not finished yet");
  up.release();
  let rest = "";
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    rest += decoder.decode(value);
  }
  assert.equal(rest, 'data: {"n":2}\n\ndata: [DONE]\n\n');
  assert.equal(up.state.finished, true);
});

Deno.test("app cancels the upstream stream when the client cancels the body", async () => {
  const up = gatedUpstream();
  const res = await up.app.fetch(streamRequest());
  const reader = res.body!.getReader();
  await reader.read();
  await reader.cancel("client went away");
  await within(up.cancelled, 5000, "upstream cancel");
  assert.equal(up.state.finished, false);
  up.release();
});

Deno.test("app cancels the upstream when an HTTP client disconnects mid-stream", async () => {
  const up = gatedUpstream();
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    denoHandler(up.app),
  );
  const controller = new AbortController();
  const res = await fetch(
    `http://127.0.0.1:${server.addr.port}${azurePath("gpt-4o", "chat/completions")}`,
    {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify(CHAT),
      signal: controller.signal,
    },
  );
  const reader = res.body!.getReader();
  const first = await reader.read();
  assert.match(decoder.decode(first.value), /"n":1/);
  controller.abort();
  await reader.read().catch(() => {});
  await within(up.cancelled, 5000, "upstream cancel after disconnect");
  assert.equal(up.state.finished, false);
  up.release();
});

Deno.test("app streams from the emulator and the emulator sees the cancel", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let sleeps = 0;
  const t = testApp({
    emulator: {
      chunkDelayMs: 1,
      // The first two chunk delays pass; the third waits until the test releases it.
      sleep: () => ++sleeps <= 2 ? Promise.resolve() : gate,
    },
  });
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
    json: { messages: [{ role: "user", content: "one two three four five six" }], stream: true },
  });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  const first = await within(reader.read(), 5000, "first chunk");
  assert.match(decoder.decode(first.value), /^data: /);
  assert.equal(t.emulator.stats.streamsCompleted, 0);
  await reader.cancel();
  release();
  await within(
    (async () => {
      while (t.emulator.stats.cancelledStreams === 0) await new Promise((r) => setTimeout(r, 1));
    })(),
    5000,
    "emulator cancel",
  );
  assert.equal(t.emulator.stats.cancelledStreams, 1);
  assert.equal(t.emulator.stats.streamsCompleted, 0);
});
