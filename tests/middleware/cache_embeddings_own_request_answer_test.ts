// cache() embeddings and the answer to the caller's own request, which it sends when a partial
// hit's missing-only request got a 2xx that does not answer it: that first answer's usage is
// added to the caller's (it was billed), so the body is rewritten without its stale length and
// etag. An error, or JSON that is no object, comes back as it came. A batch over `maxItems` goes
// upstream as it is and its answer comes back as it came. Each is marked a miss.
import assert from "node:assert/strict";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";
import { cache, type CacheOptions } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { CACHE_STATE_KEY } from "../../src/middleware/_state.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { deployment, embeddingsContext } from "./_embeddings_cache.ts";

/** A 2xx that answers no embeddings request: a list of no vectors, with usage. */
const odd = () =>
  Response.json({ object: "list", data: [], usage: { prompt_tokens: 1, total_tokens: 1 } });

/** An upstream answer of `text` (as is), with its length and an etag. */
const answer = (text: string, status = 200) => () =>
  new Response(text, {
    status,
    headers: {
      "content-type": "application/json",
      "content-length": String(new TextEncoder().encode(text).byteLength),
      etag: '"v1"',
    },
  });

/**
 * "a" cached, then the caller's `input` sent through the cache, the upstream answering each
 * request by the next of `answers`: the response and its text.
 */
async function call(
  input: string[],
  answers: (() => Response)[],
  options: Omit<CacheOptions, "store"> = {},
) {
  const kv = await Deno.openKv(":memory:");
  try {
    const up = deployment("text-embedding-3-small");
    let warm = true;
    const respond = (ctx: MiddlewareContext) =>
      warm ? up.respond(ctx) : Promise.resolve(answers.shift()!());
    const run = compose([cache({ store: new DenoKvCache(kv), ...options })], respond);
    await (await run(embeddingsContext(["a"]))).body?.cancel();
    warm = false;
    const ctx = embeddingsContext(input);
    const res = await run(ctx);
    assert.equal(answers.length, 0, "every answer asked for");
    assert.equal(ctx.state[CACHE_STATE_KEY], "miss");
    assert.equal(res.headers.get("x-aoai-cache"), "miss");
    return { res, text: await res.text() };
  } finally {
    kv.close();
  }
}

const OWN = `{ "object": "list", "model": "m",
  "data": [{ "object": "embedding", "index": 0, "embedding": [1] },
           { "object": "embedding", "index": 1, "embedding": [2] }],
  "usage": { "prompt_tokens": 2, "total_tokens": 2 } }`;

Deno.test("cache() embeddings: the caller's own answer gets the odd answer's usage, no stale headers", async () => {
  const { res, text } = await call(["a", "b"], [odd, answer(OWN)]);
  assert.equal(res.headers.get("content-length"), null);
  assert.equal(res.headers.get("etag"), null);
  assert.deepEqual(JSON.parse(text), {
    ...JSON.parse(OWN),
    usage: { prompt_tokens: 3, total_tokens: 3 },
  });
});

for (
  const [name, text, status] of [
    ["an error", `{ "error": { "code": "InternalServerError" } }`, 500],
    ["JSON that is no object", `[ 1, 2 ]`, 200],
  ] as const
) {
  Deno.test(`cache() embeddings: the caller's own answer that is ${name} comes back as it came`, async () => {
    const { res, text: got } = await call(["a", "b"], [odd, answer(text, status)]);
    assert.equal(res.status, status);
    assert.equal(got, text);
    assert.equal(res.headers.get("etag"), '"v1"');
  });
}

Deno.test("cache() embeddings: a batch over maxItems goes as it is and its answer comes back as it came", async () => {
  const { res, text } = await call(["a", "b", "c"], [answer(OWN)], { maxItems: 2 });
  assert.equal(text, OWN);
  assert.equal(res.headers.get("content-length"), String(new TextEncoder().encode(OWN).length));
  assert.equal(res.headers.get("etag"), '"v1"');
});

Deno.test("cache() embeddings: a batch of maxItems distinct inputs goes through the cache", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const up = deployment("text-embedding-3-small");
    const run = compose([cache({ store: new DenoKvCache(kv), maxItems: 2 })], up.respond);
    await (await run(embeddingsContext(["a"]))).body?.cancel();
    const res = await run(embeddingsContext(["a", "b", "a"]));
    assert.equal(res.headers.get("x-aoai-cache"), "partial");
    assert.equal((await res.json()).data.length, 3);
    assert.deepEqual(up.inputs, [["a"], ["b"]]);
  } finally {
    kv.close();
  }
});
