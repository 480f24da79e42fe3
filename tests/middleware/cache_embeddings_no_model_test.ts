// cache() and an embeddings upstream whose answers name no model (a gateway that strips it):
// the vectors are stored under no model name, a later batch adding an input is a partial hit
// (only the new input goes upstream), and a full hit names the deployment.
import assert from "node:assert/strict";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { deployment, embeddingsContext } from "./_embeddings_cache.ts";

Deno.test("cache() embeddings: answers naming no model are cached, a hit names the deployment", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const up = deployment("text-embedding-3-small");
    const noModel = async (ctx: MiddlewareContext) => {
      const json = await (await up.respond(ctx)).json();
      delete json.model;
      return Response.json(json);
    };
    const run = compose([cache({ store: new DenoKvCache(kv) })], noModel);
    const call = async (input: string[]) => {
      const res = await run(embeddingsContext(input));
      const json = await res.json();
      return { status: res.headers.get("x-aoai-cache"), model: json.model };
    };
    assert.deepEqual(await call(["a"]), { status: "miss", model: null });
    assert.deepEqual(await call(["a", "b"]), { status: "partial", model: null });
    assert.deepEqual(up.inputs, [["a"], ["b"]]);
    assert.deepEqual(await call(["b", "a"]), { status: "hit", model: "emb" });
    assert.equal(up.inputs.length, 2);
  } finally {
    kv.close();
  }
});
