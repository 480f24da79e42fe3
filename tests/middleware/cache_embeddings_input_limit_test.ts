// Requests the service refuses must not succeed only because their inputs are cached: more than
// 2,048 inputs (the client's embeddings.create() refuses them before sending, but client.request()
// and the edge proxy pass raw bodies), or an array mixing strings and token arrays (the input is a
// string, an array of strings, of token ids, or of token id arrays: a mix fits none).
import assert from "node:assert/strict";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { MAX_EMBEDDING_INPUTS } from "../../src/resources/embeddings.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { embeddingsContext } from "./_embeddings_cache.ts";

/** Answers like the service: 400 for too many inputs or a mixed array, else 2-dim vectors. */
function service() {
  const sent: unknown[][] = [];
  const respond = async (ctx: MiddlewareContext) => {
    const { input } = await ctx.request.json();
    const list: unknown[] = typeof input === "string" ? [input] : input;
    sent.push(list);
    const mixed = new Set(list.map((x) => typeof x)).size > 1;
    if (list.length > MAX_EMBEDDING_INPUTS || mixed) {
      return Response.json({ error: { code: "invalid_request_error", message: "bad input" } }, {
        status: 400,
      });
    }
    return Response.json({
      object: "list",
      model: "m",
      data: list.map((_, index) => ({ object: "embedding", index, embedding: [index + 1, 0.5] })),
      usage: { prompt_tokens: list.length, total_tokens: list.length },
    });
  };
  return { sent, respond };
}

function run(store: MemoryCache, up: ReturnType<typeof service>, input: unknown) {
  return compose([cache({ store })], up.respond)(embeddingsContext(input));
}

Deno.test(`cache() embeddings: a batch of more than ${MAX_EMBEDDING_INPUTS} cached inputs goes upstream as sent`, async () => {
  const store = new MemoryCache();
  const up = service();
  const texts = Array.from({ length: 8 }, (_, i) => `t${i}`);
  assert.equal((await run(store, up, texts)).status, 200);
  const batch = Array.from({ length: MAX_EMBEDDING_INPUTS + 1 }, (_, i) => texts[i % 8]);
  const res = await run(store, up, batch);
  assert.equal(res.status, 400, "what the service answers");
  assert.equal(up.sent.at(-1)?.length, MAX_EMBEDDING_INPUTS + 1, "sent as is");
  await res.body?.cancel();
  // At the limit, still served from the cache.
  const atLimit = await run(store, up, batch.slice(0, MAX_EMBEDDING_INPUTS));
  assert.equal(atLimit.headers.get("x-aoai-cache"), "hit");
  assert.equal((await atLimit.json()).data.length, MAX_EMBEDDING_INPUTS);
});

Deno.test("cache() embeddings: an array mixing strings and token arrays goes upstream as sent", async () => {
  const store = new MemoryCache();
  const up = service();
  await (await run(store, up, ["a"])).body?.cancel();
  await (await run(store, up, [[1, 2]])).body?.cancel();
  const res = await run(store, up, ["a", [1, 2]]);
  assert.equal(res.status, 400, "what the service answers");
  assert.deepEqual(up.sent.at(-1), ["a", [1, 2]]);
  await res.body?.cancel();
});
