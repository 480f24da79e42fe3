// cache() embeddings keys: on a deployment's path (/deployments/{name}/embeddings) the path names
// what makes the vectors, so a body's `model` (which the service ignores there) is no part of the
// key; on a path without a deployment (/openai/v1/embeddings) the body's `model` names it.
import assert from "node:assert/strict";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { makeContext } from "./_context.ts";
import { deployment } from "./_embeddings_cache.ts";

/** Each body (its `model`, input ["a"]) through one cache: the cache statuses. */
async function statuses(url: string, models: (string | undefined)[]) {
  const kv = await Deno.openKv(":memory:");
  try {
    const run = compose(
      [cache({ store: new DenoKvCache(kv) })],
      deployment("text-embedding-3-small").respond,
    );
    const out: (string | null)[] = [];
    for (const model of models) {
      const res = await run(makeContext({
        operation: "embeddings.create",
        deployment: "emb",
        request: new Request(url, {
          method: "POST",
          body: JSON.stringify({ input: ["a"], model }),
          headers: { "content-type": "application/json" },
        }),
      }));
      out.push(res.headers.get("x-aoai-cache"));
      await res.body?.cancel();
    }
    return out;
  } finally {
    kv.close();
  }
}

Deno.test("cache() embeddings: on a deployment's path the body's model is no part of the key", async () => {
  const url =
    "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21";
  assert.deepEqual(await statuses(url, ["x", undefined, "y"]), ["miss", "hit", "hit"]);
});

Deno.test("cache() embeddings: on a path without a deployment the body's model is in the key", async () => {
  const url = "https://res.openai.azure.com/openai/v1/embeddings";
  assert.deepEqual(await statuses(url, ["x", "y", "x"]), ["miss", "miss", "hit"]);
});
