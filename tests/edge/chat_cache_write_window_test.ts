/**
 * The edge app's chat cache on Workers (writes handed to `waitUntil`): a deterministic miss,
 * streamed or not, whose completion is still being written to the store when an identical call
 * arrives. That call is a hit (streamed: the same chunks replayed), not a second upstream call.
 * (A call between a streamed miss's [DONE] and its write's start: see
 * tests/edge/chat_cache_stream_store_gap_test.ts.)
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import type { CacheStore } from "../../src/cache/types.ts";
import { azurePath, KEY, postJson, sseData } from "./_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
const event = (chunk: Record<string, unknown>) => `data: ${JSON.stringify(chunk)}\n\n`;
const STREAM =
  event({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "Hi" } }] }) +
  event({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }) +
  "data: [DONE]\n\n";
const COMPLETION = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
};

/** The content of a streamed reply's chunks, and their finish reasons. */
const streamed = (text: string) =>
  sseData(text).filter((d) => d !== "[DONE]").flatMap((d) =>
    JSON.parse(d).choices.map((c: { delta: { content?: string }; finish_reason: unknown }) =>
      c.delta.content ?? c.finish_reason
    )
  ).filter((part: unknown) => part).join("|");

/**
 * An app with chat caching over a store whose writes wait until `finish`, asked `prompt` (a
 * prompt of its own: a test that fails leaves its write pending); its upstream calls.
 */
function setup(prompt: string) {
  const BODY = { messages: [{ role: "user", content: prompt }], temperature: 0 };
  const map = new Map<string, Uint8Array>();
  let sets = 0;
  const writes = Promise.withResolvers<void>();
  const store: CacheStore = {
    get: (key) => Promise.resolve(map.get(key) ?? null),
    async set(key, value) {
      sets++;
      await writes.promise;
      map.set(key, value);
    },
    delete(key) {
      map.delete(key);
      return Promise.resolve();
    },
  };
  let calls = 0;
  const app = createEdgeApp({
    clientKeys: [KEY],
    upstream: new AzureOpenAI({
      endpoint: "http://upstream.local",
      apiKey: "upstream-key-0001",
      maxRetries: 0,
      fetch: async (req) => {
        calls++;
        return (await req.json()).stream === true
          ? new Response(STREAM, { headers: { "content-type": "text/event-stream" } })
          : Response.json(COMPLETION);
      },
    }),
    cache: store,
    chatCache: true,
  });
  const background: Promise<unknown>[] = [];
  const ctx = { waitUntil: (work: Promise<unknown>) => void background.push(work) };
  return {
    call: (stream: boolean) => app.fetch(postJson(CHAT, { ...BODY, stream }), undefined, ctx),
    calls: () => calls,
    /** Waits (a few ticks, 50 at most) until the store was asked to write. */
    writing: async () => {
      for (let i = 0; i < 50 && sets === 0; i++) await new Promise((r) => setTimeout(r, 0));
      assert.equal(sets, 1, "the completion's write is in flight");
    },
    map,
    finish: async () => {
      writes.resolve();
      await Promise.all(background);
    },
  };
}

for (const first of [true, false]) {
  for (const second of [true, false]) {
    const name = (stream: boolean) => stream ? "streamed" : "non-streamed";
    Deno.test(`app: a ${name(second)} chat call while a ${name(first)} miss's completion is being written is a hit`, async () => {
      const app = setup(`${name(first)} then ${name(second)}`);
      const a = await app.call(first);
      assert.equal(a.headers.get("x-aoai-cache"), "miss");
      const aText = await a.text();
      // A streamed miss hands its completion to the cache after its body ended.
      await app.writing();
      const b = await app.call(second);
      assert.equal(b.headers.get("x-aoai-cache"), "hit");
      const bText = await b.text();
      assert.equal(app.calls(), 1);
      if (second) {
        assert.equal(streamed(bText), "Hi|stop");
        assert.ok(bText.endsWith("data: [DONE]\n\n"));
      } else {
        const [choice] = JSON.parse(bText).choices;
        assert.equal(`${choice.message.content}|${choice.finish_reason}`, "Hi|stop");
      }
      assert.ok(aText.length > 0);
      await app.finish();
      assert.equal(app.map.size, 1);
    });
  }
}
