/**
 * The edge app's chat cache and a streamed deterministic miss whose upstream connection breaks
 * AFTER its `data: [DONE]` (the reply arrived whole; only the connection's end was unclean): the
 * completion is stored once, and the next identical call is a hit replaying the same reply. A
 * stream cut BEFORE its [DONE] is never stored. A client that stops reading after [DONE] (before
 * the body closed) is a cancel: nothing is stored from it either way, and no error escapes.
 */
import assert from "node:assert/strict";
import { createEdgeApp } from "../../edge/mod.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { azurePath, KEY, postJson, sseData } from "./_helpers.ts";
import { sentThen, streamingUpstream } from "./_stream_upstream.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
const event = (chunk: Record<string, unknown>) => `data: ${JSON.stringify(chunk)}\n\n`;
const REPLY =
  event({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "Hi" } }] }) +
  event({ ...base, choices: [{ index: 0, delta: { content: " there" } }] }) +
  event({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });

/** The content of a streamed reply's chunks, and their finish reasons. */
const folded = (text: string) =>
  sseData(text).filter((d) => d !== "[DONE]").flatMap((d) =>
    JSON.parse(d).choices.map((c: { delta: { content?: string }; finish_reason: unknown }) =>
      c.delta.content ?? c.finish_reason
    )
  ).filter((part: unknown) => part).join("");

/**
 * An app with chat caching whose upstream streams `sent`, then fails (a reset); `waitUntil`:
 * writes go through the request's ctx.waitUntil (Workers), else they are awaited (Deno).
 */
function setup(sent: string, waitUntil: boolean) {
  const store = new MemoryCache();
  let calls = 0;
  const upstream = streamingUpstream("upstream-key-0001", () => {
    calls++;
    return sentThen(sent, new TypeError("error reading a body from connection: connection reset"));
  });
  const errors: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    upstream,
    cache: store,
    chatCache: true,
    onError: (message) => void errors.push(message),
  });
  const background: Promise<unknown>[] = [];
  const ctx = waitUntil
    ? { waitUntil: (work: Promise<unknown>) => void background.push(work) }
    : undefined;
  const body = { messages: [{ role: "user", content: "hello" }], temperature: 0, stream: true };
  return {
    call: () => app.fetch(postJson(CHAT, body), undefined, ctx),
    calls: () => calls,
    store,
    errors,
    /** The work handed to waitUntil, done (a few ticks for work handed over late). */
    settled: async () => {
      for (let i = 0; i < 5; i++) {
        await Promise.all(background);
        await new Promise((r) => setTimeout(r, 0));
      }
    },
  };
}

for (const waitUntil of [false, true]) {
  const where = waitUntil ? "waitUntil" : "awaited write";

  Deno.test(`app: a streamed chat miss reset after its [DONE] is stored, and the next call replays it (${where})`, async () => {
    const app = setup(`${REPLY}data: [DONE]\n\n`, waitUntil);
    const miss = await app.call();
    assert.equal(miss.headers.get("x-aoai-cache"), "miss");
    const missText = await miss.text();
    assert.equal(folded(missText), "Hi therestop");
    await app.settled();
    assert.equal(app.store.size, 1, "the whole reply was stored");

    const hit = await app.call();
    assert.equal(hit.headers.get("x-aoai-cache"), "hit");
    const hitText = await hit.text();
    assert.equal(folded(hitText), "Hi therestop");
    assert.ok(hitText.endsWith("data: [DONE]\n\n"));
    assert.equal(app.calls(), 1);
    assert.deepEqual(app.errors, []);
  });

  Deno.test(`app: a streamed chat miss reset before its [DONE] is not stored (${where})`, async () => {
    const app = setup(REPLY, waitUntil);
    const miss = await app.call();
    assert.equal(miss.headers.get("x-aoai-cache"), "miss");
    await miss.text();
    await app.settled();
    assert.equal(app.store.size, 0);
    const again = await app.call();
    assert.equal(again.headers.get("x-aoai-cache"), "miss");
    await again.text();
    assert.equal(app.calls(), 2);
  });

  Deno.test(`app: a streamed chat miss the client stops reading after [DONE] stores the reply once and fails nothing (${where})`, async () => {
    // The upstream's body stays open after [DONE]: the client's cancel is what ends it.
    const store = new MemoryCache();
    let cancelled: unknown = "not cancelled";
    const upstream = streamingUpstream("upstream-key-0001", () =>
      new ReadableStream<Uint8Array>({
        start: (c) => c.enqueue(new TextEncoder().encode(`${REPLY}data: [DONE]\n\n`)),
        cancel: (reason) => void (cancelled = reason),
      }));
    const errors: string[] = [];
    const app = createEdgeApp({
      clientKeys: [KEY],
      upstream,
      cache: store,
      chatCache: true,
      onError: (message) => void errors.push(message),
    });
    const background: Promise<unknown>[] = [];
    const ctx = waitUntil
      ? { waitUntil: (work: Promise<unknown>) => void background.push(work) }
      : undefined;
    const body = { messages: [{ role: "user", content: "bye" }], temperature: 0, stream: true };
    const miss = await app.fetch(postJson(CHAT, body), undefined, ctx);
    const reader = miss.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    for (let i = 0; i < 20 && !text.includes("[DONE]"); i++) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    assert.ok(text.includes("data: [DONE]"));
    await reader.cancel();
    for (let i = 0; i < 5; i++) {
      await Promise.all(background);
      await new Promise((r) => setTimeout(r, 0));
    }
    assert.notEqual(cancelled, "not cancelled", "the client's cancel reached the upstream");
    assert.equal(store.size, 1, "the reply was whole: stored");
    assert.deepEqual(errors, []);
  });
}
