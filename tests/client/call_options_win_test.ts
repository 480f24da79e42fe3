import assert from "node:assert/strict";
import { APITimeoutError, AzureOpenAI, RateLimitError, retry, timeout } from "../../mod.ts";

// A call's own maxRetries / timeoutMs win over the options of the client's retry() / timeout()
// layers, as the openai SDK's per-call options win over its client's.

const params = { model: "text-embedding-3-small", input: "hi" };

function clientAnswering429(middleware: ReturnType<typeof retry>[]) {
  let calls = 0;
  const client = new AzureOpenAI({
    endpoint: "http://aoai.test",
    apiKey: "k",
    fetch: () => {
      calls++;
      return Promise.resolve(
        new Response('{"error":{"code":"429","message":"slow down"}}', {
          status: 429,
          headers: { "content-type": "application/json", "retry-after-ms": "0" },
        }),
      );
    },
    middleware,
  });
  return { client, calls: () => calls };
}

Deno.test("a call's maxRetries wins over the client's retry({ maxRetries })", async () => {
  const quiet = { sleep: () => Promise.resolve() };
  const { client, calls } = clientAnswering429([retry({ maxRetries: 4, ...quiet })]);
  await assert.rejects(client.embeddings.create(params, { maxRetries: 0 }), RateLimitError);
  assert.equal(calls(), 1, "maxRetries: 0 on the call sends one attempt");
  await assert.rejects(client.embeddings.create(params, { maxRetries: 1 }), RateLimitError);
  assert.equal(calls(), 3, "maxRetries: 1 on the call sends two attempts");
  await assert.rejects(client.embeddings.create(params), RateLimitError);
  assert.equal(calls(), 8, "without one, retry()'s own maxRetries (4) applies: five attempts");
});

Deno.test("a call's timeoutMs wins over the client's timeout({ timeoutMs })", async () => {
  let seen: AbortSignal | undefined;
  const client = new AzureOpenAI({
    endpoint: "http://aoai.test",
    apiKey: "k",
    maxRetries: 0,
    // Answers only when aborted (as a fetch does): the deadline that ends it shows in the error.
    fetch: (_input, init) =>
      new Promise((_resolve, reject) => {
        seen = init?.signal ?? undefined;
        seen?.addEventListener("abort", () => reject(seen!.reason), { once: true });
      }),
    middleware: [timeout({ timeoutMs: 60_000 })],
  });
  await assert.rejects(
    client.embeddings.create(params, { timeoutMs: 5 }),
    (err: unknown) => {
      assert.ok(err instanceof APITimeoutError);
      assert.match(err.message, /timed out after 5 ms/);
      return true;
    },
  );
  assert.ok(seen?.aborted);
  // The SDK's name for it too.
  await assert.rejects(
    client.embeddings.create(params, { timeout: 4 } as { timeoutMs?: number }),
    /timed out after 4 ms/,
  );
});
