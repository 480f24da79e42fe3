// cache() embeddings rebuilds the bodies it answers (a merge of cached and fetched vectors, a hit)
// and the bodies it sends (only the missing inputs): headers describing another body must not
// follow. A hit is JSON with status 200; an upstream answer without usage gives a response
// without usage (the body still JSON).
import assert from "node:assert/strict";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { makeContext } from "./_context.ts";
import { deployment } from "./_embeddings_cache.ts";

const URL_ =
  "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21";

/** A caller's request for `input`, with a content-length of its own body. */
function context(input: string[]) {
  const body = JSON.stringify({ input });
  return makeContext({
    operation: "embeddings.create",
    deployment: "emb",
    request: new Request(URL_, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "content-length": String(new TextEncoder().encode(body).byteLength),
      },
    }),
  });
}

Deno.test("cache() embeddings: rebuilt bodies carry no stale length, encoding or etag", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const up = deployment("text-embedding-3-small");
    /** The content-length each upstream request had, and its body's length. */
    const lengths: [string | null, number][] = [];
    const respond = async (ctx: MiddlewareContext) => {
      const sent = await ctx.request.clone().arrayBuffer();
      lengths.push([ctx.request.headers.get("content-length"), sent.byteLength]);
      const res = await up.respond(ctx);
      const text = await res.text();
      return new Response(text, {
        headers: {
          "content-type": "application/json; charset=utf-8",
          "content-length": String(new TextEncoder().encode(text).byteLength),
          "content-encoding": "identity",
          etag: '"v1"',
          "x-request-id": "req-1",
        },
      });
    };
    const run = compose([cache({ store: new DenoKvCache(kv) })], respond);
    const check = async (input: string[], status: string) => {
      const res = await run(context(input));
      assert.equal(res.headers.get("x-aoai-cache"), status);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/json", status);
      for (const name of ["content-length", "content-encoding", "etag"]) {
        assert.equal(res.headers.get(name), null, `${status}: ${name}`);
      }
      assert.equal(res.headers.get("x-request-id"), status === "hit" ? null : "req-1");
      assert.equal((await res.json()).data.length, input.length);
    };
    await check(["a"], "miss");
    await check(["a", "bb"], "partial");
    await check(["bb", "a"], "hit");
    // The partial sent ["bb"] alone, with a body shorter than the caller's.
    assert.deepEqual(up.inputs, [["a"], ["bb"]]);
    for (const [length, bytes] of lengths) assert.ok(length === null || Number(length) === bytes);
  } finally {
    kv.close();
  }
});

Deno.test("cache() embeddings: an upstream answer without usage gives a response without usage", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const up = deployment("text-embedding-3-small");
    const respond = async (ctx: MiddlewareContext) => {
      const json = await (await up.respond(ctx)).json();
      delete json.usage;
      return Response.json(json);
    };
    const run = compose([cache({ store: new DenoKvCache(kv) })], respond);
    const res = await run(context(["a"]));
    assert.equal(res.headers.get("x-aoai-cache"), "miss");
    const json = await res.json();
    assert.equal("usage" in json, false);
    assert.equal(json.data.length, 1);
  } finally {
    kv.close();
  }
});
