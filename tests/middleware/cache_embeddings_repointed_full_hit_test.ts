// A deployment re-pointed at another model of the same vector size (text-embedding-ada-002 and
// text-embedding-3-small both answer 1536 dims): once any call has seen the new model, a full hit
// must not serve the old model's vectors (as the new model's, or mixed with the new model's).
import assert from "node:assert/strict";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { bytesToBase64, floatsToBytes } from "../../src/middleware/_float32.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { makeContext } from "./_context.ts";

const URL_ =
  "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21";
const OLD = "text-embedding-ada-002";
const NEW = "text-embedding-3-small";

/** The deployment, serving `model.now`: 4-dim vectors that depend on the model and the input. */
function deployment() {
  const model = { now: OLD };
  const inputs: string[][] = [];
  const respond = async (ctx: MiddlewareContext) => {
    const body = await ctx.request.json();
    const list: string[] = typeof body.input === "string" ? [body.input] : body.input;
    inputs.push(list);
    const seed = model.now === OLD ? 1 : 2;
    return Response.json({
      object: "list",
      model: model.now,
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
  return { model, inputs, respond };
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

/** What the deployment answers `input` with when it serves `model` (no cache). */
async function fresh(input: string[], model: string) {
  const up = deployment();
  up.model.now = model;
  return (await embed(new MemoryCache(), input, up)).vectors;
}

Deno.test("cache() embeddings: after a miss saw the re-pointed model, a full hit of older vectors is refetched", async () => {
  const store = new MemoryCache();
  const up = deployment();
  await embed(store, ["alpha", "beta"], up);
  up.model.now = NEW; // the deployment is re-pointed
  await embed(store, ["gamma"], up); // a miss: the cache now knows the deployment's model

  const got = await embed(store, ["alpha", "beta"], up);
  assert.equal(got.model, NEW);
  assert.deepEqual(got.vectors, await fresh(["alpha", "beta"], NEW), "the new model's vectors");
  assert.equal(got.status, "miss");
  assert.deepEqual(up.inputs.at(-1), ["alpha", "beta"]);

  const again = await embed(store, ["alpha", "beta"], up);
  assert.equal(again.status, "hit", "the refetched vectors replaced the old ones");
  assert.deepEqual(again.vectors, got.vectors);
});

Deno.test("cache() embeddings: a full hit never mixes vectors of two models", async () => {
  const store = new MemoryCache();
  const up = deployment();
  await embed(store, ["alpha"], up);
  up.model.now = NEW;
  await embed(store, ["gamma"], up);

  const got = await embed(store, ["alpha", "gamma"], up);
  assert.deepEqual(got.vectors, await fresh(["alpha", "gamma"], NEW));
  assert.equal(got.model, NEW);
  assert.equal(got.status, "partial", "gamma (the new model's) served, alpha fetched");
  assert.deepEqual(up.inputs.at(-1), ["alpha"]);
});

Deno.test("cache() embeddings: before any call saw the re-pointed model, a full hit names the model that made its vectors", async () => {
  const store = new MemoryCache();
  const up = deployment();
  await embed(store, ["alpha"], up);
  up.model.now = NEW; // unknown to the cache: nothing went upstream since
  const got = await embed(store, ["alpha"], up);
  assert.equal(got.status, "hit");
  assert.equal(got.model, OLD, "labelled with the model that made the vectors");
  assert.deepEqual(got.vectors, await fresh(["alpha"], OLD));
});

Deno.test("cache() embeddings: another namespace starts an empty cache (the way to drop a re-pointed deployment's entries at once)", async () => {
  const store = new MemoryCache();
  const up = deployment();
  await embed(store, ["alpha"], up);
  up.model.now = NEW;
  const ctx = makeContext({
    operation: "embeddings.create",
    deployment: "emb",
    request: new Request(URL_, {
      method: "POST",
      body: JSON.stringify({ input: ["alpha"] }),
      headers: { "content-type": "application/json" },
    }),
  });
  const res = await compose([cache({ store, namespace: "v2" })], up.respond)(ctx);
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
  assert.equal((await res.json()).model, NEW);
});
