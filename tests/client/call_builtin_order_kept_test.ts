import assert from "node:assert/strict";
import { AzureOpenAI, type Middleware, RateLimitError, retry, timeout } from "../../mod.ts";

// A call's own built-ins, in the usual nesting (retry() outside timeout()), stay as the call's
// middleware list gives them: a layer between them runs once per attempt.

Deno.test("a call's retry() listed before its timeout() stays outside it: a layer between runs per attempt", async () => {
  let fetched = 0;
  let passes = 0;
  const between: Middleware = (_ctx, next) => (passes++, next());
  const client = new AzureOpenAI({
    endpoint: "http://aoai.test",
    apiKey: "k",
    fetch: () => {
      fetched++;
      return Promise.resolve(
        new Response('{"error":{"code":"429","message":"slow down"}}', {
          status: 429,
          headers: { "content-type": "application/json", "retry-after-ms": "0" },
        }),
      );
    },
  });
  const params = { model: "text-embedding-3-small", input: "hi" };
  const middleware = [
    retry({ maxRetries: 2, sleep: () => Promise.resolve() }),
    between,
    timeout({ timeoutMs: 60_000 }),
  ];
  await assert.rejects(client.embeddings.create(params, { middleware }), RateLimitError);
  assert.equal(fetched, 3, "retry() sent three attempts");
  assert.equal(passes, 3, "the layer inside retry() ran once per attempt");
});
