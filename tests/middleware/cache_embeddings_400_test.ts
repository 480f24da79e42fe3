// A 400 to the request cache() built for an embeddings call (only the missing inputs) would
// name the wrong inputs: cache() drops it (cancelling its body, or with none) and answers the
// caller's own request. A 400 to the caller's own request (a full miss in the format it asked)
// is its answer: passed on, not asked again.
import assert from "node:assert/strict";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import { bytesToBase64, floatsToBytes } from "../../src/middleware/_float32.ts";
import type { MiddlewareContext } from "../../src/middleware/types.ts";
import { makeContext } from "./_context.ts";

const URL_ =
  "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21";

type Body = { input: string[]; encoding_format?: string };

const good = (body: Body) =>
  Response.json({
    object: "list",
    model: "m",
    data: body.input.map((_, index) => ({
      object: "embedding",
      index,
      embedding: bytesToBase64(floatsToBytes([index + 0.5, 1, 2, 3])),
    })),
    usage: { prompt_tokens: body.input.length, total_tokens: body.input.length },
  });

/** cache() over a service answering its first call with `first()`, then good answers. */
function service(store: MemoryCache, first?: () => Response) {
  const sent: Body[] = [];
  const run = async (body: Body) => {
    const ctx = makeContext({
      operation: "embeddings.create",
      deployment: "emb",
      request: new Request(URL_, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      }),
    });
    const res = await compose([cache({ store })], async (c: MiddlewareContext) => {
      sent.push(await c.request.json());
      return sent.length === 1 && first ? first() : good(sent.at(-1)!);
    })(ctx);
    return { res, json: await res.json() };
  };
  return { sent, run };
}

const CALLER = { input: ["a", "b"], encoding_format: "base64" };

Deno.test("cache() embeddings: a 400 to a partial hit's missing inputs (format as asked) is dropped, its body cancelled, and the caller's own request answered", async () => {
  const store = new MemoryCache();
  await service(store).run({ input: ["a"], encoding_format: "base64" });
  let cancelled = false;
  const up = service(store, () =>
    new Response(
      new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"error":{"code":"BadRequest","message":"input 0"'));
        },
        cancel() {
          cancelled = true;
        },
      }),
      { status: 400, headers: { "content-type": "application/json" } },
    ));
  const { res, json } = await up.run(CALLER);
  assert.deepEqual(up.sent, [{ input: ["b"], encoding_format: "base64" }, CALLER]);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
  assert.equal(json.data.length, 2);
  assert.ok(cancelled, "the dropped 400's body was cancelled");
});

Deno.test("cache() embeddings: a bodiless 400 to a partial hit's missing inputs is dropped and the caller's own request answered", async () => {
  const store = new MemoryCache();
  await service(store).run({ input: ["a"], encoding_format: "base64" });
  const up = service(store, () => new Response(null, { status: 400 }));
  const { res } = await up.run(CALLER);
  assert.deepEqual(up.sent, [{ input: ["b"], encoding_format: "base64" }, CALLER]);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
});

Deno.test("cache() embeddings: a 400 to a full miss asking base64 is the caller's answer: passed on, upstream once", async () => {
  const store = new MemoryCache();
  const up = service(
    store,
    () => Response.json({ error: { code: "BadRequest", message: "no" } }, { status: 400 }),
  );
  const { res, json } = await up.run(CALLER);
  assert.deepEqual(up.sent, [CALLER]);
  assert.equal(res.status, 400);
  assert.equal(json.error.code, "BadRequest");
});
