import assert from "node:assert/strict";
import { cache, type CacheOptions } from "./cache.ts";
import { compose } from "./compose.ts";
import { bytesToBase64, floatsToBytes } from "./_float32.ts";
import type { MiddlewareContext } from "./types.ts";
import { MemoryCache } from "../cache/memory_cache.ts";
import { makeContext } from "../../tests/middleware/_context.ts";

const EMB = "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21";
const CHAT =
  "https://res.openai.azure.com/openai/deployments/gpt/chat/completions?api-version=2024-10-21";

/** An upstream whose answers wait until `open()`; it counts the calls and the inputs sent. */
function gatedUpstream(answer: (body: Record<string, unknown>) => Response) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => open = resolve);
  const bodies: Record<string, unknown>[] = [];
  let arrived!: () => void;
  let waiting = new Promise<void>((resolve) => arrived = resolve);
  return {
    bodies,
    open,
    /** Resolves once a call reached the upstream (then re-arms for the next call). */
    nextArrival: () => waiting,
    async respond(ctx: MiddlewareContext): Promise<Response> {
      const body = await ctx.request.json();
      bodies.push(body);
      const done = arrived;
      waiting = new Promise<void>((resolve) => arrived = resolve);
      done();
      await gate;
      return answer(body);
    },
  };
}

function embeddingsAnswer(body: Record<string, unknown>): Response {
  const input = body.input as string[];
  return Response.json({
    object: "list",
    data: input.map((item, index) => ({
      object: "embedding",
      index,
      embedding: bytesToBase64(floatsToBytes([item.length / 7, 0.1, 0.2, Math.PI])),
    })),
    model: "text-embedding-3-small",
    usage: { prompt_tokens: input.length * 2, total_tokens: input.length * 2 },
  });
}

/** A MemoryCache whose `readsDone(n)` resolves once `n` getMany() calls have answered. */
function countingStore(): MemoryCache & { readsDone: (n: number) => Promise<void> } {
  const store = new MemoryCache();
  const getMany = store.getMany.bind(store);
  let reads = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  store.getMany = async (keys) => {
    const values = await getMany(keys);
    reads++;
    for (const w of waiters) if (reads >= w.n) w.resolve();
    return values;
  };
  return Object.assign(store, {
    readsDone: (n: number) =>
      reads >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve })),
  });
}

/** Lets every pending microtask run (the calls that read the store act on what they read). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** One cache() per options object, as an app makes it once. */
const LAYERS = new WeakMap<CacheOptions, ReturnType<typeof cache>>();
function layer(options: CacheOptions) {
  let made = LAYERS.get(options);
  if (!made) LAYERS.set(options, made = cache(options));
  return made;
}

function run(
  options: CacheOptions,
  url: string,
  body: unknown,
  respond: (ctx: MiddlewareContext) => Promise<Response>,
) {
  const ctx = makeContext({
    request: new Request(url, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    }),
    operation: url.includes("embeddings") ? "embeddings.create" : "chat.completions.create",
  });
  return compose([layer(options)], respond)(ctx);
}

Deno.test("cache() embeddings: concurrent identical misses send the inputs upstream once", async () => {
  const up = gatedUpstream(embeddingsAnswer);
  const store = countingStore();
  const options: CacheOptions = { store };
  const body = { input: ["alpha", "beta"] };
  const first = run(options, EMB, body, up.respond);
  await up.nextArrival();
  const second = run(options, EMB, body, up.respond);
  // The second call read the store (a miss) before the first call's answer arrives.
  await store.readsDone(2);
  await settle();
  up.open();
  const [a, b] = await Promise.all([first, second]);
  assert.equal(up.bodies.length, 1, "one upstream call for both");
  assert.equal(a.headers.get("x-aoai-cache"), "miss");
  assert.equal(b.headers.get("x-aoai-cache"), "hit");
  const [ja, jb] = [await a.json(), await b.json()];
  assert.deepEqual(jb.data, ja.data);
  assert.deepEqual(ja.usage, { prompt_tokens: 4, total_tokens: 4 });
  assert.deepEqual(jb.usage, { prompt_tokens: 0, total_tokens: 0 });
});

Deno.test("cache() embeddings: an overlapping batch sends only what no call is fetching", async () => {
  const up = gatedUpstream(embeddingsAnswer);
  const store = countingStore();
  const options: CacheOptions = { store };
  const first = run(options, EMB, { input: ["alpha", "beta"] }, up.respond);
  await up.nextArrival();
  const second = run(options, EMB, { input: ["beta", "gamma"] }, up.respond);
  await store.readsDone(2);
  await settle();
  up.open();
  const [a, b] = await Promise.all([first, second]);
  assert.deepEqual(up.bodies.map((x) => x.input), [["alpha", "beta"], ["gamma"]]);
  assert.equal(b.headers.get("x-aoai-cache"), "partial");
  const [ja, jb] = [await a.json(), await b.json()];
  assert.deepEqual(jb.data[0].embedding, ja.data[1].embedding);
  assert.deepEqual(jb.usage, { prompt_tokens: 2, total_tokens: 2 });
});

Deno.test("cache() embeddings: a call waiting on another's failed fetch sends its own", async () => {
  let calls = 0;
  const up = gatedUpstream((body) =>
    ++calls === 1
      ? Response.json({ error: { code: "429", message: "slow down" } }, { status: 429 })
      : embeddingsAnswer(body)
  );
  const store = countingStore();
  const options: CacheOptions = { store };
  const first = run(options, EMB, { input: ["alpha"] }, up.respond);
  await up.nextArrival();
  const second = run(options, EMB, { input: ["alpha"] }, up.respond);
  await store.readsDone(2);
  await settle();
  up.open();
  const [a, b] = await Promise.all([first, second]);
  assert.equal(a.status, 429);
  assert.equal(b.status, 200);
  assert.equal(b.headers.get("x-aoai-cache"), "miss");
  assert.equal(up.bodies.length, 2);
});

Deno.test("cache() chat: concurrent identical deterministic misses go upstream once", async () => {
  const up = gatedUpstream(() =>
    Response.json({
      id: "chatcmpl-1",
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
    })
  );
  const store = countingStore();
  const options: CacheOptions = { store, chat: true };
  const body = { messages: [{ role: "user", content: "hello" }], temperature: 0 };
  const first = run(options, CHAT, body, up.respond);
  await up.nextArrival();
  const second = run(options, CHAT, body, up.respond);
  await store.readsDone(2);
  await settle();
  up.open();
  const [a, b] = await Promise.all([first, second]);
  assert.equal(up.bodies.length, 1);
  assert.equal(a.headers.get("x-aoai-cache"), "miss");
  assert.equal(b.headers.get("x-aoai-cache"), "hit");
  const [ja, jb] = [await a.json(), await b.json()];
  assert.deepEqual(jb.choices, ja.choices);
  assert.equal(jb.usage.total_tokens, 0);
});

Deno.test("cache() chat: a call waiting on an answer that is not stored sends its own", async () => {
  let calls = 0;
  const up = gatedUpstream(() =>
    Response.json({
      id: `chatcmpl-${++calls}`,
      object: "chat.completion",
      choices: [{
        index: 0,
        message: { role: "assistant", content: "cut" },
        finish_reason: calls === 1 ? "length" : "stop",
      }],
      usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
    })
  );
  const store = countingStore();
  const options: CacheOptions = { store, chat: true };
  const body = { messages: [{ role: "user", content: "hello" }], temperature: 0 };
  const first = run(options, CHAT, body, up.respond);
  await up.nextArrival();
  const second = run(options, CHAT, body, up.respond);
  await store.readsDone(2);
  await settle();
  up.open();
  const [a, b] = await Promise.all([first, second]);
  assert.equal((await a.json()).choices[0].finish_reason, "length");
  assert.equal((await b.json()).choices[0].finish_reason, "stop");
  assert.equal(b.headers.get("x-aoai-cache"), "miss");
  assert.equal(up.bodies.length, 2);
});

Deno.test("cache() embeddings: a call waiting on another's fetch stops waiting when it aborts", async () => {
  const up = gatedUpstream(embeddingsAnswer);
  const store = countingStore();
  const options: CacheOptions = { store };
  const first = run(options, EMB, { input: ["alpha"] }, up.respond);
  await up.nextArrival();
  const controller = new AbortController();
  const ctx = makeContext({
    request: new Request(EMB, {
      method: "POST",
      body: JSON.stringify({ input: ["alpha"] }),
      headers: { "content-type": "application/json" },
    }),
    operation: "embeddings.create",
    signal: controller.signal,
  });
  const second = compose([layer(options)], (c) => {
    if (c.signal?.aborted) return Promise.reject(c.signal.reason);
    return up.respond(c);
  })(ctx);
  await store.readsDone(2);
  await settle();
  controller.abort(new Error("caller left"));
  await assert.rejects(second, /caller left/);
  assert.equal(up.bodies.length, 1, "the waiting call sent nothing");
  up.open();
  assert.equal((await first).status, 200);
});
