// An upstream error while cache() fetches the missing inputs of an embeddings call (a partial hit,
// or the refetch of a whole batch after the deployment was re-pointed) reaches the caller as is,
// marked a miss, with `ctx.request` the caller's own request again (not the one cache() built).
import assert from "node:assert/strict";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { CACHE_STATE_KEY } from "../../src/middleware/_state.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { deployment, embed, embeddingsContext } from "./_embeddings_cache.ts";

/** `up` for its first `ok` calls, then a 500. */
function failingAfter(up: ReturnType<typeof deployment>, ok: number) {
  let calls = 0;
  return (ctx: MiddlewareContext) =>
    ++calls <= ok
      ? up.respond(ctx)
      : Promise.resolve(Response.json({ error: { code: "boom" } }, { status: 500 }));
}

async function call(
  store: MemoryCache,
  input: string[],
  terminal: ReturnType<typeof failingAfter>,
) {
  const ctx = embeddingsContext(input);
  const res = await compose([cache({ store })], terminal)(ctx);
  return { ctx, res, sent: await ctx.request.json() };
}

Deno.test("cache() embeddings: a partial hit whose upstream fails answers the error, as a miss, with the caller's request", async () => {
  const store = new MemoryCache();
  const up = deployment("text-embedding-3-small");
  await embed(store, ["alpha"], up);
  const { ctx, res, sent } = await call(store, ["alpha", "gamma"], failingAfter(up, 0));
  assert.equal(res.status, 500);
  assert.deepEqual(await res.json(), { error: { code: "boom" } });
  assert.equal(ctx.state[CACHE_STATE_KEY], "miss");
  assert.deepEqual(sent, { input: ["alpha", "gamma"] }, "ctx.request is the caller's request");
});

Deno.test("cache() embeddings: a re-pointed deployment whose refetch fails answers the error, as a miss, with the caller's request", async () => {
  const store = new MemoryCache();
  await embed(store, ["alpha"], deployment("text-embedding-ada-002"));
  // Re-pointed: the missing input comes back from another model, the refetch of both fails.
  const now = deployment("text-embedding-3-small");
  const { ctx, res, sent } = await call(store, ["alpha", "gamma"], failingAfter(now, 1));
  assert.deepEqual(now.inputs, [["gamma"]]);
  assert.equal(res.status, 500);
  assert.deepEqual(await res.json(), { error: { code: "boom" } });
  assert.equal(ctx.state[CACHE_STATE_KEY], "miss");
  assert.deepEqual(sent, { input: ["alpha", "gamma"] }, "ctx.request is the caller's request");
});

Deno.test("cache() embeddings: after a partial hit, ctx.request is the caller's request again", async () => {
  const store = new MemoryCache();
  const up = deployment("text-embedding-3-small");
  await embed(store, ["alpha"], up);
  const { ctx, res, sent } = await call(store, ["alpha", "gamma"], failingAfter(up, 1));
  assert.equal(res.headers.get("x-aoai-cache"), "partial");
  assert.equal(ctx.state[CACHE_STATE_KEY], "partial");
  assert.deepEqual(up.inputs.at(-1), ["gamma"]);
  assert.deepEqual(sent, { input: ["alpha", "gamma"] }, "ctx.request is the caller's request");
});
