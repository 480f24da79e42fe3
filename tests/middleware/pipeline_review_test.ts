/**
 * Review of the middleware pipeline (issue 4): misuse of the middleware contract through the
 * client, with an injected fetch (nothing is sent, nothing waits).
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { MiddlewareError } from "../../src/middleware/compose.ts";
import type { Middleware } from "../../src/middleware/types.ts";

const EMBEDDINGS = {
  object: "list",
  data: [{ object: "embedding", index: 0, embedding: [1] }],
  model: "text-embedding-3-small",
  usage: { prompt_tokens: 1, total_tokens: 1 },
};
const PARAMS = { model: "text-embedding-3-small", input: "hi" };

function client(middleware: Middleware[]) {
  let sent = 0;
  const c = new AzureOpenAI({
    endpoint: "http://review.local",
    apiKey: "pipeline-review-key-0123456789",
    fetch: () => (sent++, Promise.resolve(Response.json(EMBEDDINGS))),
    middleware,
  });
  return { client: c, sent: () => sent };
}

for (
  const [what, value] of [
    ["a string", "ok"],
    ["a plain object", { ok: true, status: 200 }],
    ["a number", 200],
  ] as const
) {
  Deno.test(`client rejects with MiddlewareError naming the layer when a middleware resolves to ${what}`, async () => {
    const wrong = function wrong(_ctx: unknown, next: () => Promise<Response>) {
      return next().then(() => value);
    } as unknown as Middleware;
    const { client: c, sent } = client([wrong]);
    await assert.rejects(c.embeddings.create(PARAMS), (err: unknown) => {
      // Before: an AzureOpenAIError "failed" (string) or an APIConnectionError "lost the
      // connection reading the response: response.text is not a function" (object).
      assert.ok(err instanceof MiddlewareError, String(err));
      assert.match(err.message, /#1 \(wrong\) returned no response/);
      return true;
    });
    assert.equal(sent(), 1);
  });
}
