// cache() embeddings after a re-pointed deployment: a batch whose cached inputs another model made
// is fetched afresh, and the response's usage sums the two upstream answers' usages member by
// member: numbers both have are added, a number only one has is kept, and a member that is not a
// number is the later answer's. When the second answer has none, the first's is the response's as
// it came (members that are not numbers too).
import assert from "node:assert/strict";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { deployment, embeddingsContext } from "./_embeddings_cache.ts";

/**
 * ["a"] cached by ada-002, then ["a", "b"] after the deployment moved to 3-small, each upstream
 * answer given the next of `usages` (undefined: none): the second response's JSON.
 */
async function refetched(usages: unknown[]) {
  const kv = await Deno.openKv(":memory:");
  try {
    const up = deployment("text-embedding-ada-002");
    const respond = async (ctx: MiddlewareContext) => {
      const json = await (await up.respond(ctx)).json();
      json.usage = usages.shift();
      return Response.json(json);
    };
    const run = compose([cache({ store: new DenoKvCache(kv) })], respond);
    await (await run(embeddingsContext(["a"]))).body?.cancel();
    up.model.now = "text-embedding-3-small";
    const res = await run(embeddingsContext(["a", "b"]));
    assert.deepEqual(up.inputs, [["a"], ["b"], ["a", "b"]]);
    return await res.json();
  } finally {
    kv.close();
  }
}

Deno.test("cache() embeddings: a refetch's usage sums both answers' usages member by member", async () => {
  const json = await refetched([
    { prompt_tokens: 1, total_tokens: 1 },
    { prompt_tokens: 3, total_tokens: 3, gateway_tokens: 7, details: { x: 1 } },
    { prompt_tokens: 2, total_tokens: 2, details: { x: 2 } },
  ]);
  assert.deepEqual(json.usage, {
    prompt_tokens: 5,
    total_tokens: 5,
    gateway_tokens: 7,
    details: { x: 2 },
  });
});

Deno.test("cache() embeddings: a refetch answered without usage keeps the first answer's usage", async () => {
  const usage = { prompt_tokens: 3, total_tokens: 3, prompt_tokens_details: { cached: 0 } };
  const json = await refetched([usage, usage, undefined]);
  assert.equal(json.model, "text-embedding-3-small");
  assert.deepEqual(json.usage, usage);
});
