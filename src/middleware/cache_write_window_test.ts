import assert from "node:assert/strict";
import { cache } from "./cache.ts";
import { compose } from "./compose.ts";
import { bytesToBase64, floatsToBytes } from "./_float32.ts";
import { MemoryCache } from "../cache/memory_cache.ts";
import type { CacheStore } from "../cache/types.ts";
import { makeContext } from "../../tests/middleware/_context.ts";

const URL_ =
  "https://write-window.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21";

/** A fake embeddings service counting its calls. */
function service() {
  const calls: unknown[] = [];
  return {
    calls,
    async respond(ctx: { request: Request }): Promise<Response> {
      const body = await ctx.request.json();
      calls.push(body.input);
      const data = (body.input as string[]).map((item, index) => ({
        object: "embedding",
        index,
        embedding: bytesToBase64(floatsToBytes([item.length, 0.1, 0.2, 0.3])),
      }));
      return Response.json({
        object: "list",
        data,
        model: "text-embedding-3-small",
        usage: { prompt_tokens: data.length, total_tokens: data.length },
      });
    },
  };
}

/**
 * A store whose writes stay in flight until `finish()` (a Workers KV put handed to waitUntil),
 * and that refuses a second write of a key, as Workers KV does within a second.
 */
function slowStore(): CacheStore & { finish(): void; sets: string[] } {
  const inner = new MemoryCache();
  let finish!: () => void;
  const gate = new Promise<void>((resolve) => finish = resolve);
  const sets: string[] = [];
  return {
    sets,
    finish: () => finish(),
    get: (key) => inner.get(key),
    async set(key, value, options) {
      if (sets.includes(key)) throw new Error("429: one write a second per key");
      sets.push(key);
      await gate;
      await inner.set(key, value, options);
    },
    delete: (key) => inner.delete(key),
  };
}

Deno.test("cache() serves inputs whose store write is still in flight, without asking or writing again", async () => {
  const store = slowStore();
  const up = service();
  const handed: Promise<unknown>[] = [];
  const errors: unknown[] = [];
  const middleware = cache({
    store,
    waitUntil: (p) => void handed.push(p),
    onStoreError: (e) => void errors.push(e),
  });
  const ask = async (input: string[]) => {
    const request = new Request(URL_, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input }),
    });
    const ctx = makeContext({ operation: "embeddings.create", deployment: "emb", request });
    const res = await compose([middleware], up.respond)(ctx);
    return { status: res.headers.get("x-aoai-cache"), json: await res.json() };
  };
  const miss = await ask(["in flight", "too"]);
  assert.equal(miss.status, "miss");
  // The miss answered; its writes are still under way (waitUntil) when the next call comes.
  const next = await ask(["too", "in flight"]);
  assert.equal(next.status, "hit");
  assert.equal(up.calls.length, 1, "one upstream call");
  assert.deepEqual(next.json.data.map((d: { embedding: number[] }) => d.embedding), [
    miss.json.data[1].embedding,
    miss.json.data[0].embedding,
  ]);
  assert.equal(next.json.model, miss.json.model);
  assert.deepEqual(next.json.usage, { prompt_tokens: 0, total_tokens: 0 });
  store.finish();
  await Promise.all(handed);
  assert.deepEqual(errors, [], "no second write of a key");
  assert.equal(store.sets.length, 3, "two vectors and the model, once each");
  // Once written, the store serves them.
  assert.equal((await ask(["in flight"])).status, "hit");
  assert.equal(up.calls.length, 1);
});
