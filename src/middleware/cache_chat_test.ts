import assert from "node:assert/strict";
import { cache } from "./cache.ts";
import { vectorEntry } from "./_embeddings_cache.ts";
import { compose } from "./compose.ts";
import { floatsToBytes } from "./_float32.ts";
import type { MiddlewareContext } from "./types.ts";
import { MemoryCache } from "../cache/memory_cache.ts";
import type { CacheStore } from "../cache/types.ts";
import { makeContext } from "../../tests/middleware/_context.ts";

const CHAT =
  "https://res.openai.azure.com/openai/deployments/gpt/chat/completions?api-version=2024-10-21";

function chatServer() {
  const bodies: Record<string, unknown>[] = [];
  return {
    bodies,
    async respond(ctx: MiddlewareContext): Promise<Response> {
      const body = await ctx.request.json();
      bodies.push(body);
      return Response.json({
        id: `chatcmpl-${bodies.length}`,
        object: "chat.completion",
        choices: [{
          index: 0,
          message: { role: "assistant", content: "hi" },
          finish_reason: "stop",
        }],
        usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
      });
    },
  };
}

async function chat(store: CacheStore, body: Record<string, unknown>, chatOn = true, url = CHAT) {
  const server = chatServer();
  const ctx = makeContext({
    request: new Request(url, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    }),
  });
  const res = await compose([cache({ store, chat: chatOn })], server.respond)(ctx);
  return { res, json: await res.json(), calls: server.bodies.length };
}

const messages = [{ role: "user", content: "hello" }];

Deno.test("cache() leaves chat alone unless chat: true", async () => {
  const store = new MemoryCache();
  await chat(store, { messages, temperature: 0 }, false);
  const again = await chat(store, { messages, temperature: 0 }, false);
  assert.equal(again.calls, 1);
  assert.equal(again.res.headers.get("x-aoai-cache"), null);
  assert.equal(store.size, 0);
});

Deno.test("cache() replays a temperature 0 chat completion with usage 0", async () => {
  const store = new MemoryCache();
  const miss = await chat(store, { messages, temperature: 0, user: "a" });
  assert.equal(miss.res.headers.get("x-aoai-cache"), "miss");
  assert.equal(miss.json.usage.total_tokens, 6);
  const hit = await chat(store, { user: "b", temperature: 0, messages });
  assert.equal(hit.calls, 0);
  assert.equal(hit.res.headers.get("x-aoai-cache"), "hit");
  assert.equal(hit.json.id, miss.json.id);
  assert.deepEqual(hit.json.choices, miss.json.choices);
  assert.deepEqual(hit.json.usage, { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
});

Deno.test("cache() replays a seeded chat completion and keys it by seed and api-version", async () => {
  const store = new MemoryCache();
  await chat(store, { messages, seed: 7, temperature: 0.8 });
  assert.equal((await chat(store, { messages, seed: 7, temperature: 0.8 })).calls, 0);
  assert.equal((await chat(store, { messages, seed: 8, temperature: 0.8 })).calls, 1);
  const preview = CHAT.replace("2024-10-21", "2025-01-01-preview");
  assert.equal(
    (await chat(store, { messages, seed: 7, temperature: 0.8 }, true, preview)).calls,
    1,
  );
});

Deno.test("cache() does not cache a chat completion that is not deterministic", async () => {
  const store = new MemoryCache();
  await chat(store, { messages, temperature: 0.7 });
  await chat(store, { messages });
  assert.equal(store.size, 0);
});

Deno.test("cache() does not touch a streamed chat completion", async () => {
  const store = new MemoryCache();
  let reached = 0;
  const ctx = makeContext({
    stream: true,
    request: new Request(CHAT, {
      method: "POST",
      body: JSON.stringify({ messages, temperature: 0, stream: true }),
    }),
  });
  const res = await compose([cache({ store, chat: true })], () => {
    reached++;
    return Promise.resolve(new Response("data: [DONE]\n\n"));
  })(ctx);
  assert.equal(reached, 1);
  assert.equal(res.headers.get("x-aoai-cache"), null);
  assert.equal(store.size, 0);
});

Deno.test("cache() refetches a whole batch when cached vectors have another size", async () => {
  const inner = new MemoryCache();
  const written: string[] = [];
  const store: CacheStore = {
    get: (k) => inner.get(k),
    set: (k, v, o) => (written.push(k), inner.set(k, v, o)),
    delete: (k) => inner.delete(k),
  };
  const url = "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=1";
  const inputs: unknown[] = [];
  const server = async (ctx: MiddlewareContext) => {
    const body = await ctx.request.json();
    inputs.push(body.input);
    const data = (body.input as string[]).map((_, index) => ({
      object: "embedding",
      index,
      embedding: [1, 2, 3],
    }));
    return Response.json({ object: "list", data, model: "m", usage: { prompt_tokens: 1 } });
  };
  const run = (input: string[]) =>
    compose([cache({ store })], server)(makeContext({
      operation: "embeddings.create",
      request: new Request(url, {
        method: "POST",
        body: JSON.stringify({ input }),
        headers: { "content-type": "application/json" },
      }),
    }));
  await run(["a"]);
  // Simulate a stale entry from a deployment that used to return 2 dimensions.
  const [key] = written.filter((k) => k.startsWith("aoai:emb:"));
  await inner.set(key, vectorEntry(floatsToBytes([9, 9]), "m")!);
  const res = await run(["a", "b"]);
  const json = await res.json();
  assert.deepEqual(inputs, [["a"], ["b"], ["a", "b"]]);
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
  assert.deepEqual(json.data.map((d: { embedding: number[] }) => d.embedding), [[1, 2, 3], [
    1,
    2,
    3,
  ]]);
});

Deno.test("cache() chat: a hit keeps the usage details the miss had, each 0", async () => {
  const store = new MemoryCache();
  const usage = {
    prompt_tokens: 20,
    completion_tokens: 9,
    total_tokens: 29,
    prompt_tokens_details: { cached_tokens: 8, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 4, accepted_prediction_tokens: 0 },
  };
  const respond = () =>
    Promise.resolve(Response.json({
      id: "chatcmpl-1",
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
      usage,
    }));
  const ask = async () => {
    const ctx = makeContext({
      request: new Request(CHAT, {
        method: "POST",
        body: JSON.stringify({ messages, temperature: 0 }),
        headers: { "content-type": "application/json" },
      }),
    });
    const res = await compose([cache({ store, chat: true })], respond)(ctx);
    return { cache: res.headers.get("x-aoai-cache"), json: await res.json() };
  };
  assert.deepEqual((await ask()).json.usage, usage);
  const hit = await ask();
  assert.equal(hit.cache, "hit");
  assert.deepEqual(hit.json.usage, {
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, accepted_prediction_tokens: 0 },
  });
});
