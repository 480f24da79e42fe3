// cache() embeddings after a re-pointed deployment: a batch whose cached inputs another model made
// is fetched afresh, and the response's usage adds the usage of both upstream answers. When the
// second answer has none, the first's is the response's as it came (members that are not numbers
// too: usage is summed only where both answers have it).
import assert from "node:assert/strict";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { deployment, embeddingsContext } from "./_embeddings_cache.ts";

Deno.test("cache() embeddings: a refetch answered without usage keeps the first answer's usage", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const up = deployment("text-embedding-ada-002");
    const usage = { prompt_tokens: 3, total_tokens: 3, prompt_tokens_details: { cached: 0 } };
    /** The usage of each upstream answer in turn (undefined: none). */
    const usages: unknown[] = [usage, usage, undefined];
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
    const json = await res.json();
    assert.equal(json.model, "text-embedding-3-small");
    assert.deepEqual(json.usage, usage);
  } finally {
    kv.close();
  }
});
