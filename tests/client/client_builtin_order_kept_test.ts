import assert from "node:assert/strict";
import { AzureOpenAI, type Middleware, RateLimitError, retry, timeout } from "../../mod.ts";

// The client's own built-ins keep the nesting its middleware list gives them, also an unusual
// one: timeout() outside retry() is one deadline over every attempt, not one per attempt.

const params = { model: "text-embedding-3-small", input: "hi" };

Deno.test("the client's timeout() listed before its retry() stays outside it: a layer between runs once per call", async () => {
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
    middleware: [
      timeout({ timeoutMs: 60_000 }),
      between,
      retry({ maxRetries: 2, sleep: () => Promise.resolve() }),
    ],
  });
  await assert.rejects(client.embeddings.create(params), RateLimitError);
  assert.equal(fetched, 3, "retry() sent three attempts");
  assert.equal(passes, 1, "the layer outside retry() ran once");
});
