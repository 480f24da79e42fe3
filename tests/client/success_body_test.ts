import assert from "node:assert/strict";
import { APIConnectionError, AzureOpenAI, AzureOpenAIError } from "../../mod.ts";

const KEY = "sk-success-body-test-key-4242";

/** A client whose fetch answers every call with `reply()`. */
function clientAnswering(reply: () => Response): AzureOpenAI {
  return new AzureOpenAI({
    endpoint: "https://my-res.openai.azure.com",
    apiKey: KEY,
    deployment: "gpt-4o",
    maxRetries: 0,
    fetch: () => Promise.resolve(reply()),
  });
}

const ask = { messages: [{ role: "user" as const, content: "Hi" }] };

Deno.test("a 200 whose body is not JSON (a gateway's HTML page) rejects with a typed error naming the call, status and request id", async () => {
  const client = clientAnswering(() =>
    new Response("<html><body><h1>Sign in to continue</h1></body></html>", {
      headers: { "content-type": "text/html", "apim-request-id": "req-html-200" },
    })
  );
  const err = await client.chat.completions.create(ask).then(
    () => assert.fail("resolved"),
    (e) => e,
  );
  assert.ok(err instanceof AzureOpenAIError, String(err));
  assert.equal(err.status, 200);
  assert.equal(err.requestId, "req-html-200");
  assert.match(
    err.message,
    /^chat\.completions\.create \(POST https:\/\/my-res\.openai\.azure\.com\//,
  );
  assert.match(err.message, /status 200.*Sign in to continue.*\[request id req-html-200\]/);
  assert.ok(!String(err.stack).includes(KEY));
});

Deno.test("a 204 or empty 200 to a JSON call rejects with a typed error, not a bare SyntaxError", async () => {
  for (const status of [200, 204]) {
    const client = clientAnswering(() => new Response(null, { status }));
    const err = await client.embeddings.create({ input: "x" }).then(
      () => assert.fail("resolved"),
      (e) => e,
    );
    assert.ok(err instanceof AzureOpenAIError, `${status}: ${err}`);
    assert.equal(err.status, status);
    assert.match(err.message, new RegExp(`^embeddings\\.create \\(POST .*status ${status}`));
  }
});

Deno.test("a truncated JSON body rejects with a typed error that names the call", async () => {
  const client = clientAnswering(() => new Response('{"id":"chatcmpl-1","choices":['));
  const err = await client.chat.completions.create(ask).withResponse().then(
    () => assert.fail("resolved"),
    (e) => e,
  );
  assert.ok(err instanceof AzureOpenAIError, String(err));
  assert.match(err.message, /chat\.completions\.create .*status 200/);
});

Deno.test("a connection cut while the JSON body is read rejects with APIConnectionError naming the call, with the failure as cause", async () => {
  const reset = new TypeError("error reading a body from connection");
  const client = clientAnswering(() =>
    new Response(
      new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"id":"chatcmpl-1",'));
        },
        pull(c) {
          c.error(reset);
        },
      }),
      { headers: { "content-type": "application/json", "apim-request-id": "req-cut-7" } },
    )
  );
  const err = await client.chat.completions.create(ask).then(
    () => assert.fail("resolved"),
    (e) => e,
  );
  assert.ok(err instanceof APIConnectionError, String(err));
  assert.equal(err.cause, reset);
  // The request id, which support asks for, as every error built from a response names it.
  assert.equal(err.requestId, "req-cut-7");
  assert.match(err.message, /\[request id req-cut-7\]$/);
  assert.match(
    err.message,
    /^chat\.completions\.create \(POST https:\/\/my-res\.openai\.azure\.com\/.*connection/,
  );
  assert.ok(!String(err.stack).includes(KEY));
});
