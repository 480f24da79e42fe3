/**
 * The edge app's chat cache on Workers (writes handed to `waitUntil`): the gap between a streamed
 * miss's `[DONE]` and its completion being registered as "being written". The store work the
 * miss starts at its [DONE] (forward, key hashing, a store read, the claim) is held at its store
 * read here; an identical call made meanwhile (the first client has its whole reply) is a hit, not
 * a second upstream call, and the completion is written to the store once.
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

/** A few ticks (50 at most) until `done()`. */
async function ticks(done: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !done(); i++) await new Promise((r) => setTimeout(r, 0));
}

/**
 * An app with chat caching (writes through ctx.waitUntil) over a store that, once `hold()` was
 * called, holds the next read until `release()`; asked `prompt` (its own, so a failing test's
 * held read touches no other).
 */
function setup(prompt: string) {
  const BODY = { messages: [{ role: "user", content: prompt }], temperature: 0 };
  const map = new Map<string, Uint8Array>();
  let sets = 0;
  let holdNext = false;
  let held = 0;
  const gate = Promise.withResolvers<void>();
  const store: CacheStore = {
    async get(key) {
      if (holdNext) {
        holdNext = false;
        held++;
        await gate.promise;
      }
      return map.get(key) ?? null;
    },
    set(key, value) {
      sets++;
      map.set(key, value);
      return Promise.resolve();
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
    /** Holds the next store read (the miss's store work reads before it claims and writes). */
    hold: () => void (holdNext = true),
    /** Waits until the held read began, then holds no other. */
    heldRead: async () => {
      await ticks(() => held > 0);
      holdNext = false;
      assert.equal(held, 1, "the streamed miss's store work is at its store read");
    },
    release: async () => {
      gate.resolve();
      for (let i = 0; i < 5; i++) {
        await Promise.all(background);
        await new Promise((r) => setTimeout(r, 0));
      }
    },
    map,
    sets: () => sets,
  };
}

for (const second of [true, false]) {
  const name = second ? "streamed" : "non-streamed";
  Deno.test(`app: a ${name} chat call right after a streamed miss's [DONE], before its store work registered it, is a hit (waitUntil)`, async () => {
    const app = setup(`gap then ${name}`);
    const a = await app.call(true);
    assert.equal(a.headers.get("x-aoai-cache"), "miss");
    app.hold();
    assert.equal(streamed(await a.text()), "Hi|stop");
    await app.heldRead();
    try {
      const b = await app.call(second);
      const bText = await b.text();
      assert.equal(app.calls(), 1, "one upstream call for both");
      assert.equal(b.headers.get("x-aoai-cache"), "hit");
      if (second) {
        assert.equal(streamed(bText), "Hi|stop");
        assert.ok(bText.endsWith("data: [DONE]\n\n"));
      } else {
        const [choice] = JSON.parse(bText).choices;
        assert.equal(`${choice.message.content}|${choice.finish_reason}`, "Hi|stop");
      }
    } finally {
      await app.release();
    }
    assert.equal(app.map.size, 1, "the completion was stored");
    assert.equal(app.sets(), 1, "written once");
  });
}
