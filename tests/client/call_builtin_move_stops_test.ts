import assert from "node:assert/strict";
import { AzureOpenAI, type Middleware, RateLimitError, retry, timeout } from "../../mod.ts";

// A call's retry() on a client whose list has timeout() but no retry() moves outward, past the
// client's layers, but never past a layer of the call's list: those before it stay outside it,
// those after it inside it.

Deno.test("a call's retry() moves outward only up to the call's own layers before it", async () => {
  let fetched = 0;
  const passes = { before: 0, after: 0 };
  const counting =
    (key: keyof typeof passes): Middleware => (_ctx, next) => (passes[key]++, next());
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
    middleware: [timeout({ timeoutMs: 60_000 })],
  });
  const params = { model: "text-embedding-3-small", input: "hi" };
  const middleware = [
    counting("before"),
    retry({ maxRetries: 2, sleep: () => Promise.resolve() }),
    counting("after"),
  ];
  await assert.rejects(client.embeddings.create(params, { middleware }), RateLimitError);
  assert.equal(fetched, 3, "retry() sent three attempts");
  assert.deepEqual(passes, { before: 1, after: 3 });
});
