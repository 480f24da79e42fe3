/**
 * cache() and an embeddings body holding an integer of 16 digits: past 2^53 (9,007,199,254,740,992)
 * JSON.parse rounds it, so the body bypasses the cache and goes upstream as sent (two bodies
 * differing in it would share entries otherwise). One of 15 digits is kept exactly: cached.
 */
import assert from "node:assert/strict";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { bytesToBase64, floatsToBytes } from "../../src/middleware/_float32.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { makeContext } from "./_context.ts";

const URL_ =
  "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21";

/** Each body through one cache in front of an upstream recording what it got: the statuses. */
async function through(bodies: string[]) {
  const kv = await Deno.openKv(":memory:");
  try {
    const sent: string[] = [];
    const upstream = async (ctx: MiddlewareContext) => {
      const text = await ctx.request.text();
      sent.push(text);
      return Response.json({
        object: "list",
        model: "text-embedding-3-small",
        data: [{ object: "embedding", index: 0, embedding: bytesToBase64(floatsToBytes([1, 2])) }],
        usage: { prompt_tokens: 1, total_tokens: 1 },
      });
    };
    const run = compose([cache({ store: new DenoKvCache(kv) })], upstream);
    const statuses: (string | null)[] = [];
    for (const body of bodies) {
      const res = await run(makeContext({
        operation: "embeddings.create",
        deployment: "emb",
        request: new Request(URL_, {
          method: "POST",
          body,
          headers: { "content-type": "application/json" },
        }),
      }));
      statuses.push(res.headers.get("x-aoai-cache"));
      await res.body?.cancel();
    }
    return { sent, statuses };
  } finally {
    kv.close();
  }
}

Deno.test("cache() embeddings: token ids of 16 digits (past 2^53) go upstream as sent, uncached", async () => {
  const a = `{"input": [9007199254740993]}`;
  const b = `{"input": [9007199254740992]}`;
  const { sent, statuses } = await through([a, b, a]);
  assert.deepEqual(sent, [a, b, a]);
  assert.deepEqual(statuses, [null, null, null]);
});

Deno.test("cache() embeddings: token ids of 15 digits are cached", async () => {
  const a = `{"input": [900719925474099]}`;
  const { sent, statuses } = await through([a, a]);
  assert.equal(sent.length, 1);
  assert.deepEqual(JSON.parse(sent[0]).input, [[900719925474099]]);
  assert.deepEqual(statuses, ["miss", "hit"]);
});
