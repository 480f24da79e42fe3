import assert from "node:assert/strict";
import { AzureOpenAI, RateLimitError, retry } from "../../mod.ts";

// A call's own retry() on a client whose middleware list is empty takes the default retry's
// place: the two never nest (their attempts would multiply).

Deno.test("a call's retry() on a client without middleware replaces the default retry: its attempts only", async () => {
  let fetched = 0;
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
  const middleware = [retry({ maxRetries: 1, sleep: () => Promise.resolve() })];
  await assert.rejects(client.embeddings.create(params, { middleware }), RateLimitError);
  assert.equal(fetched, 2, "retry({ maxRetries: 1 }): two attempts, not 2 × 3");
});
