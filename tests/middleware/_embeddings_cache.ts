/**
 * An embeddings call through `cache()` alone, for the tests of its embeddings cache: the context
 * of a request to deployment `emb`, and a deployment whose 4-dim vectors depend on the model it
 * serves (re-pointable) and on the input.
 */
import { cache, type CacheOptions } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { bytesToBase64, floatsToBytes } from "../../src/middleware/_float32.ts";
import type { MemoryCache } from "../../src/cache/memory_cache.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { makeContext } from "./_context.ts";

const URL_ =
  "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21";

/** The context of an `embeddings.create` call sending `input` (as is) to deployment `emb`. */
export function embeddingsContext(input: unknown): MiddlewareContext {
  return makeContext({
    operation: "embeddings.create",
    deployment: "emb",
    request: new Request(URL_, {
      method: "POST",
      body: JSON.stringify({ input }),
      headers: { "content-type": "application/json" },
    }),
  });
}

/**
 * A deployment serving `model.now` (set it to re-point the deployment): base64 vectors of 4 dims
 * that depend on the model (text-embedding-ada-002 or another) and the input. `inputs` lists
 * what each call sent upstream.
 */
export function deployment(model: string) {
  const state = { now: model };
  const inputs: string[][] = [];
  const respond = async (ctx: MiddlewareContext) => {
    const body = await ctx.request.json();
    const list: string[] = typeof body.input === "string" ? [body.input] : body.input;
    inputs.push(list);
    const seed = state.now === "text-embedding-ada-002" ? 1 : 2;
    return Response.json({
      object: "list",
      model: state.now,
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
  return { model: state, inputs, respond };
}

/** `input` embedded through `cache({ store, ...options })` in front of `up`: what came back. */
export async function embed(
  store: MemoryCache,
  input: string[],
  up: ReturnType<typeof deployment>,
  options: Omit<CacheOptions, "store"> = {},
) {
  const ctx = embeddingsContext(input);
  const res = await compose([cache({ store, ...options })], up.respond)(ctx);
  const json = await res.json();
  return {
    status: res.headers.get("x-aoai-cache"),
    vectors: json.data.map((d: { embedding: number[] }) => d.embedding),
    model: json.model,
  };
}
