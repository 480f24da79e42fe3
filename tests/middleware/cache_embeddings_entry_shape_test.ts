// A 2xx embeddings answer for ONE missing input whose only entry is not an embedding object
// with an integer index in range (null, no index, a negative, fractional or string index): with
// one input the count of vectors still matches, so the entry itself must be refused. cache()
// then answers the caller's own request, uncached, and stores nothing of the odd answer.
import assert from "node:assert/strict";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { bytesToBase64, floatsToBytes } from "../../src/middleware/_float32.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { embeddingsContext } from "./_embeddings_cache.ts";

const b64 = (values: number[]) => bytesToBase64(floatsToBytes(values));

/** A good answer to `input`: vector [i + 0.5, 1, 2, 3] for the i-th input. */
const good = (input: string[], base64: boolean) =>
  Response.json({
    object: "list",
    model: "m",
    data: input.map((_, index) => ({
      object: "embedding",
      index,
      embedding: base64 ? b64([index + 0.5, 1, 2, 3]) : [index + 0.5, 1, 2, 3],
    })),
    usage: { prompt_tokens: input.length, total_tokens: input.length },
  });

const ODD: [string, unknown][] = [
  ["null", null],
  ["an entry with no index", { object: "embedding", embedding: b64([9, 9, 9, 9]) }],
  ["index -1", { object: "embedding", index: -1, embedding: b64([9, 9, 9, 9]) }],
  ["index 0.5", { object: "embedding", index: 0.5, embedding: b64([9, 9, 9, 9]) }],
  ['index "0"', { object: "embedding", index: "0", embedding: b64([9, 9, 9, 9]) }],
];

/** cache() over a service answering its first call with `first` as the only entry. */
function service(store: MemoryCache, first?: unknown) {
  const sent: { input: string[]; encoding_format?: string }[] = [];
  return {
    sent,
    run: async (input: string[]) => {
      const ctx = embeddingsContext(input);
      const res = await compose([cache({ store })], async (c: MiddlewareContext) => {
        const body = await c.request.json();
        sent.push(body);
        if (sent.length === 1 && first !== undefined) {
          return Response.json({ object: "list", model: "m", data: [first] });
        }
        return good(body.input, body.encoding_format === "base64");
      })(ctx);
      return { res, json: await res.json() };
    },
  };
}

for (const [name, entry] of ODD) {
  Deno.test(`cache() embeddings: one missing input answered with ${name} as its entry: the caller's own request, uncached`, async () => {
    const store = new MemoryCache();
    await service(store).run(["a"]);
    const warm = store.size;
    const up = service(store, entry);
    const { res, json } = await up.run(["a", "b"]);
    assert.deepEqual(up.sent.map((s) => s.input), [["b"], ["a", "b"]]);
    assert.equal(res.headers.get("x-aoai-cache"), "miss");
    assert.deepEqual(
      json.data.map((d: { embedding: number[] }) => d.embedding),
      [[0.5, 1, 2, 3], [1.5, 1, 2, 3]],
    );
    assert.equal(store.size, warm, "nothing of the odd answer stored");
  });
}
