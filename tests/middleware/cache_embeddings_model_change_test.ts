// A deployment re-pointed at another model of the same vector size (text-embedding-ada-002 and
// text-embedding-3-small both answer 1536 dims): a partial hit must not merge the old model's
// cached vectors with the new model's, which live in another vector space.
import assert from "node:assert/strict";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { bytesToBase64, floatsToBytes } from "../../src/middleware/_float32.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { makeContext } from "./_context.ts";

const URL_ =
  "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21";

/** A deployment serving `model`: vectors of 4 dims that depend on the model and the input. */
function deployment(model: string) {
  const inputs: unknown[][] = [];
  const respond = async (ctx: MiddlewareContext) => {
    const body = await ctx.request.json();
    const list: string[] = typeof body.input === "string" ? [body.input] : body.input;
    inputs.push(list);
    const seed = model === "text-embedding-ada-002" ? 1 : 2;
    return Response.json({
      object: "list",
      model,
      data: list.map((input, index) => ({
        object: "embedding",
        index,
        embedding: bytesToBase64(
          floatsToBytes([seed, input.length, input.charCodeAt(0) / 128, -seed / 4]),
        ),
      })),
      usage: { prompt_tokens: list.length, total_tokens: list.length },
    });
  };
  return { inputs, respond };
}

async function embed(store: MemoryCache, input: string[], up: ReturnType<typeof deployment>) {
  const ctx = makeContext({
    operation: "embeddings.create",
    deployment: "emb",
    request: new Request(URL_, {
      method: "POST",
      body: JSON.stringify({ input }),
      headers: { "content-type": "application/json" },
    }),
  });
  const res = await compose([cache({ store })], up.respond)(ctx);
  const json = await res.json();
  return {
    status: res.headers.get("x-aoai-cache"),
    vectors: json.data.map((d: { embedding: number[] }) => d.embedding),
    model: json.model,
  };
}

Deno.test("cache() embeddings: a partial hit whose upstream names another model refetches the whole batch", async () => {
  const store = new MemoryCache();
  await embed(store, ["alpha", "beta"], deployment("text-embedding-ada-002"));

  // The deployment now serves text-embedding-3-small (same size).
  const now = deployment("text-embedding-3-small");
  const got = await embed(store, ["alpha", "gamma"], now);
  const fresh = await embed(
    new MemoryCache(),
    ["alpha", "gamma"],
    deployment("text-embedding-3-small"),
  );
  assert.deepEqual(got.vectors, fresh.vectors, "every vector from the model serving now");
  assert.equal(got.model, "text-embedding-3-small");
  assert.deepEqual(now.inputs.at(-1), ["alpha", "gamma"], "the whole batch went upstream");

  // The refetched vectors replaced the old entries.
  const again = await embed(store, ["alpha"], now);
  assert.equal(again.status, "hit");
  assert.deepEqual(again.vectors, [fresh.vectors[0]]);
});

Deno.test("cache() embeddings: a partial hit from the same model still sends only the missing inputs", async () => {
  const store = new MemoryCache();
  const up = deployment("text-embedding-3-small");
  await embed(store, ["alpha"], up);
  const got = await embed(store, ["alpha", "gamma"], up);
  assert.equal(got.status, "partial");
  assert.deepEqual(up.inputs, [["alpha"], ["gamma"]]);
});
