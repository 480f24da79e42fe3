/**
 * Helpers of the edge app's chat cache tests: the chat route, a streamed reply and its completion,
 * an upstream counting its calls, an app caching chat over a store (or over a MemoryCache in front
 * of a streaming upstream), a store whose reads and writes can be held, a request's `waitUntil`
 * and a fold of a streamed reply.
 *
 * @module
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import type { CacheStore } from "../../src/cache/types.ts";
import { azurePath, KEY, postJson, sseData } from "./_helpers.ts";
import { streamingUpstream } from "./_stream_upstream.ts";

/** The app's chat completions route (deployment `gpt-4o`). */
export const CHAT = azurePath("gpt-4o", "chat/completions");

const base = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
/** The SSE event of a chunk whose one choice has `delta` (and `finish_reason` when given). */
const chunk = (delta: Record<string, unknown>, finish_reason?: string) =>
  `data: ${
    JSON.stringify({
      ...base,
      choices: [{ index: 0, delta, ...finish_reason && { finish_reason } }],
    })
  }\n\n`;

/** The stream's end. */
export const DONE = "data: [DONE]\n\n";
/** A streamed reply "Hi", then `stop`, without its [DONE]. */
export const HI = chunk({ role: "assistant", content: "Hi" }) + chunk({}, "stop");
/** A streamed reply "Hi there", then `stop`, without its [DONE]. */
export const HI_THERE = chunk({ role: "assistant", content: "Hi" }) + chunk({ content: " there" }) +
  chunk({}, "stop");

/** The completion `HI` folds into, with usage. */
export const COMPLETION = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
};

/** The content of a streamed reply's chunks and their finish reasons, joined by `by`. */
export const folded = (text: string, by = "|") =>
  sseData(text).filter((d) => d !== "[DONE]").flatMap((d) =>
    JSON.parse(d).choices.map((c: { delta: { content?: string }; finish_reason: unknown }) =>
      c.delta.content ?? c.finish_reason
    )
  ).filter((part: unknown) => part).join(by);

/**
 * An upstream client (no retries) answering `answer(request)`, counting its calls; by default a
 * streamed request gets `HI` and [DONE], another `COMPLETION`.
 */
export function countingUpstream(
  answer: (request: Request) => Response | Promise<Response> = async (request) =>
    (await request.json()).stream === true
      ? new Response(HI + DONE, { headers: { "content-type": "text/event-stream" } })
      : Response.json(COMPLETION),
) {
  const counted: { calls: number; client: AzureOpenAI } = {
    calls: 0,
    client: new AzureOpenAI({
      endpoint: "http://upstream.local",
      apiKey: "upstream-key-0001",
      maxRetries: 0,
      fetch: (request) => (counted.calls++, Promise.resolve(answer(request))),
    }),
  };
  return counted;
}

/** An app caching chat over `cache` in front of `upstream`; its onError lines go to `errors`. */
export function chatCacheApp(upstream: AzureOpenAI, cache: CacheStore, errors?: string[]) {
  return createEdgeApp({
    clientKeys: [KEY],
    upstream,
    cache,
    chatCache: true,
    ...errors && { onError: (message: string) => void errors.push(message) },
  });
}

/**
 * A request's ctx whose `waitUntil` collects the work handed to it (`waitUntil` false: no ctx,
 * writes are awaited), and a wait until that work is done (a few ticks for work handed over late).
 */
export function requestWork(waitUntil = true) {
  const work: Promise<unknown>[] = [];
  return {
    ctx: waitUntil ? { waitUntil: (w: Promise<unknown>) => void work.push(w) } : undefined,
    settled: async () => {
      for (let i = 0; i < 5; i++) {
        await Promise.all(work);
        await new Promise((r) => setTimeout(r, 0));
      }
    },
  };
}

/** A few ticks (50 at most) until `done()`. */
export async function ticks(done: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !done(); i++) await new Promise((r) => setTimeout(r, 0));
}

/**
 * A store over `map`: once `holdNext` is set, its next read after `pass` more (default 0) waits
 * until `reads` (counted in `held`); every write (counted in `sets`) waits until `writes`.
 */
export function gatedStore() {
  const map = new Map<string, Uint8Array>();
  const gates = {
    map,
    sets: 0,
    holdNext: false,
    pass: 0,
    held: 0,
    reads: Promise.resolve(),
    writes: Promise.resolve(),
  };
  const store: CacheStore = {
    async get(key) {
      if (gates.holdNext && !gates.pass--) {
        gates.holdNext = false;
        gates.held++;
        await gates.reads;
      }
      return map.get(key) ?? null;
    },
    async set(key, value) {
      gates.sets++;
      await gates.writes;
      map.set(key, value);
    },
    delete(key) {
      map.delete(key);
      return Promise.resolve();
    },
  };
  return { store, gates };
}

/**
 * An app caching chat over a MemoryCache in front of an upstream streaming `body()` (counted in
 * `calls()`), its onError lines; `call()` asks `prompt`, streamed, through the request's ctx
 * (`waitUntil`: writes handed to ctx.waitUntil, as on Workers; else awaited, as on Deno).
 */
export function streamedMissApp(
  body: () => ReadableStream<Uint8Array>,
  waitUntil: boolean,
  prompt: string,
) {
  const store = new MemoryCache();
  let calls = 0;
  const upstream = streamingUpstream("upstream-key-0001", () => (calls++, body()));
  const errors: string[] = [];
  const app = chatCacheApp(upstream, store, errors);
  const { ctx, settled } = requestWork(waitUntil);
  const json = { messages: [{ role: "user", content: prompt }], temperature: 0, stream: true };
  return {
    app,
    ctx,
    call: () => app.fetch(postJson(CHAT, json), undefined, ctx),
    calls: () => calls,
    store,
    errors,
    /** The work handed to waitUntil, done (a few ticks for work handed over late). */
    settled,
  };
}

/**
 * An app caching chat (writes through ctx.waitUntil) over a gatedStore(), in front of
 * countingUpstream(); `call(stream)` asks `prompt` (a test's own: one that fails leaves its held
 * read or write to no other).
 */
export function gatedApp(prompt: string) {
  const { store, gates } = gatedStore();
  const upstream = countingUpstream();
  const app = chatCacheApp(upstream.client, store);
  const { ctx, settled } = requestWork();
  const body = { messages: [{ role: "user", content: prompt }], temperature: 0 };
  return {
    gates,
    settled,
    call: (stream: boolean) => app.fetch(postJson(CHAT, { ...body, stream }), undefined, ctx),
    calls: () => upstream.calls,
    map: gates.map,
  };
}

/** Throws unless `text` is `HI` replayed: streamed (ending with [DONE]) or as its completion. */
export function assertHi(text: string, streamed: boolean): void {
  if (streamed) {
    assert.equal(folded(text), "Hi|stop");
    assert.ok(text.endsWith("data: [DONE]\n\n"));
  } else {
    const [choice] = JSON.parse(text).choices;
    assert.equal(`${choice.message.content}|${choice.finish_reason}`, "Hi|stop");
  }
}

/**
 * Throws unless `app`'s call is a miss that stores nothing (once its work is done) and the next
 * identical call goes upstream again.
 */
export async function assertNotStored(app: ReturnType<typeof streamedMissApp>): Promise<void> {
  const miss = await app.call();
  assert.equal(miss.headers.get("x-aoai-cache"), "miss");
  await miss.text();
  await app.settled();
  assert.equal(app.store.size, 0);
  const again = await app.call();
  assert.equal(again.headers.get("x-aoai-cache"), "miss");
  await again.text();
  assert.equal(app.calls(), 2);
}
