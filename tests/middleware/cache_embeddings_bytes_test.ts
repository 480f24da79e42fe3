/**
 * cache() and embeddings bodies whose numbers JSON.parse does not keep as written (an integer
 * past Number.MAX_SAFE_INTEGER, a fraction, an exponent): keys are made of the parse and a miss
 * sends a re-serialisation, so such a body must bypass the cache and reach the upstream as is.
 */
import assert from "node:assert/strict";
import { cache } from "../../src/middleware/cache.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { makeContext } from "./_context.ts";

const URL_ =
  "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21";

/** An upstream answering every input with a one-float vector; records the bodies it got. */
function upstream() {
  const sent: string[] = [];
  const next = async (ctx: MiddlewareContext) => {
    const text = await ctx.request.text();
    sent.push(text);
    const body = JSON.parse(text);
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const b64 = btoa(String.fromCharCode(...new Uint8Array(new Float32Array([0.5]).buffer)));
    const data = inputs.map((_: unknown, index: number) => ({
      object: "embedding",
      index,
      embedding: body.encoding_format === "base64" ? b64 : [0.5],
    }));
    return Response.json({
      object: "list",
      data,
      model: "emb",
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
  };
  return { sent, next };
}

async function call(mw: ReturnType<typeof cache>, up: ReturnType<typeof upstream>, text: string) {
  const ctx = makeContext({
    operation: "embeddings.create",
    deployment: "emb",
    request: new Request(URL_, {
      method: "POST",
      body: text,
      headers: { "content-type": "application/json" },
    }),
  });
  const res = await mw(ctx, () => up.next(ctx));
  await res.body?.cancel();
  return res.headers.get("x-aoai-cache");
}

for (
  const [name, a, b] of [
    ["an integer past 2^53", "12345678901234567890", "12345678901234567891"],
    ["a fraction past Float64", "0.12345678901234567890", "0.12345678901234567891"],
    ["an exponent past Float64", "1e400", "2e400"],
    ["a signed exponent", "1E+400", "2E+400"],
  ]
) {
  Deno.test(`cache() embeddings: bodies differing only in ${name} share no entry and go as sent`, async () => {
    const mw = cache({ store: new MemoryCache() });
    const up = upstream();
    const first = `{"input": "hello", "trace": ${a}, "note": "caf\\u00e9"}`;
    const second = `{"input": "hello", "trace": ${b}, "note": "caf\\u00e9"}`;
    await call(mw, up, first);
    await call(mw, up, second);
    assert.deepEqual(up.sent, [first, second]);
  });
}

Deno.test("cache() embeddings: digits, fractions and exponents inside strings are still cached", async () => {
  const mw = cache({ store: new MemoryCache() });
  const up = upstream();
  const text =
    `{"input": ["order 12345678901234567890 v1.5e3", "x\\"1.5"], "dimensions": 1, "x": [true, false, null]}`;
  assert.equal(await call(mw, up, text), "miss");
  assert.equal(await call(mw, up, text), "hit");
  assert.equal(up.sent.length, 1);
});
