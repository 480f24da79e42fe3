// Embeddings inputs the service refuses (an empty string, an empty array, an empty token array,
// a token array holding something else than numbers) are not cached: the body goes upstream once
// and as sent, and its 400 comes back. (Cached, such an input would be sent in another format,
// refused, then sent again.) Token arrays of one token are cached.
import assert from "node:assert/strict";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { embeddingsContext } from "./_embeddings_cache.ts";

/**
 * Answers like the service: 400 for an input it refuses (an empty one, or one that is neither
 * non-empty strings nor non-empty token arrays), else 2-dim float vectors.
 */
async function service(ctx: MiddlewareContext) {
  const { input } = await ctx.request.json();
  const one = typeof input === "string" ||
    (input.length > 0 && input.every((t: unknown) => typeof t === "number"));
  const list: unknown[] = one ? [input] : input;
  const tokens = (x: unknown) =>
    Array.isArray(x) && x.length > 0 && x.every((t) => typeof t === "number");
  const ok = list.length > 0 &&
    (list.every((x) => typeof x === "string" && x !== "") || list.every(tokens));
  if (!ok) {
    return Response.json({ error: { code: "invalid_request_error" } }, { status: 400 });
  }
  return Response.json({
    object: "list",
    model: "text-embedding-3-small",
    data: list.map((_, index) => ({ object: "embedding", index, embedding: [index + 1, 0.5] })),
    usage: { prompt_tokens: list.length, total_tokens: list.length },
  });
}

/** `input` through a cache (Deno KV) `times` times: the bodies upstream got, the statuses. */
async function through(input: unknown, times: number) {
  const kv = await Deno.openKv(":memory:");
  try {
    const sent: string[] = [];
    const run = compose([cache({ store: new DenoKvCache(kv) })], async (ctx) => {
      sent.push(await ctx.request.clone().text());
      return service(ctx);
    });
    const out: [number, string | null][] = [];
    for (let i = 0; i < times; i++) {
      const res = await run(embeddingsContext(input));
      out.push([res.status, res.headers.get("x-aoai-cache")]);
      await res.body?.cancel();
    }
    return { sent, out };
  } finally {
    kv.close();
  }
}

for (
  const [name, input] of [
    ["an empty string", ""],
    ["an empty array", []],
    ["an empty token array", [[1, 2], []]],
    ["a string among token arrays", [[1, 2], "ab"]],
    ["a token array of strings", [[1, 2], ["a"]]],
  ] as const
) {
  Deno.test(`cache() embeddings: ${name} goes upstream once, as sent, and its 400 comes back`, async () => {
    const { sent, out } = await through(input, 1);
    assert.deepEqual(sent, [JSON.stringify({ input })]);
    assert.equal(out[0][0], 400);
  });
}

Deno.test("cache() embeddings: token arrays of one token are cached", async () => {
  const { sent, out } = await through([[5], [6]], 2);
  assert.equal(sent.length, 1);
  assert.deepEqual(out, [[200, "miss"], [200, "hit"]]);
});
