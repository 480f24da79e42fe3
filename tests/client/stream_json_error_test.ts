/** A stream call answered 200 with a JSON error object (a gateway), against a local server. */
import assert from "node:assert/strict";
import { APIConnectionError, AzureOpenAI, AzureOpenAIError, RateLimitError } from "../../mod.ts";
import { startServer } from "../helpers/server.ts";

const KEY = "sk-stream-json-error-key-1234";

Deno.test("a stream call answered 200 with a JSON error object rejects with the gateway's code and message, not 'not an event stream'", async () => {
  await using server = await startServer(() =>
    Response.json(
      { error: { code: "TenantQuotaExceeded", message: "quota exceeded for tenant" } },
      {
        headers: { "apim-request-id": "req-json-1" },
      },
    )
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, maxRetries: 0 });
  const err = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "hi" }],
    stream: true,
  }).then(() => assert.fail("resolved"), (e) => e);
  assert.ok(err instanceof AzureOpenAIError, String(err));
  assert.ok(!(err instanceof RateLimitError));
  assert.equal(err.status, 200);
  assert.equal(err.code, "TenantQuotaExceeded");
  assert.equal(err.requestId, "req-json-1");
  assert.match(err.message, /^chat\.completions\.create \(POST http:\/\/127\.0\.0\.1:\d+\/openai/);
  assert.match(err.message, /quota exceeded for tenant \[request id req-json-1\]$/);
  assert.ok(!String(err.stack).includes(KEY));
});

Deno.test("a stream call answered 200 with a JSON completion (a proxy that dropped stream) still says it is no event stream", async () => {
  await using server = await startServer(() =>
    Response.json({ id: "cmpl-1", object: "text_completion", choices: [] })
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, maxRetries: 0 });
  const stream = await client.completions.create({
    model: "gpt-35-turbo-instruct",
    prompt: "hi",
    stream: true,
  });
  await assert.rejects(async () => {
    for await (const _ of stream);
  }, (err: unknown) => {
    assert.ok(err instanceof APIConnectionError, String(err));
    assert.match(err.message, /got application\/json, not an event stream/);
    return true;
  });
});
