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

Deno.test("a stream call answered 200 with a long JSON error object lets go of the connection once it rejected", async () => {
  // The error object, then trailing white space (still valid JSON) past the ~64 KiB the client
  // reads of an error body.
  const head = new TextEncoder().encode(
    '{"error":{"code":"GatewayRefused","message":"refused by policy"}}',
  );
  const pad = new TextEncoder().encode(" ".repeat(16_384));
  let cancelled!: () => void;
  const released = new Promise<void>((resolve) => cancelled = resolve);
  await using server = await startServer(() => {
    let sent = 0;
    return new Response(
      new ReadableStream<Uint8Array>({
        pull(c) {
          // Bounded: 4,096 pads (64 MiB) at most, more than socket buffers hold.
          if (sent++ === 0) c.enqueue(head);
          else if (sent > 4_096) c.close();
          else c.enqueue(pad);
        },
        cancel() {
          cancelled();
        },
      }),
      { headers: { "content-type": "application/json" } },
    );
  });
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, maxRetries: 0 });
  const err = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "hi" }],
    stream: true,
  }).then(() => assert.fail("resolved"), (e) => e);
  assert.equal(err.code, "GatewayRefused");
  // The server's body is cancelled (the client closed the connection) instead of staying open.
  // (A 10 s guard only, so a regression fails instead of hanging the run.)
  let guard: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    released,
    new Promise((_, reject) =>
      guard = setTimeout(() => reject(new Error("the response body was never cancelled")), 10_000)
    ),
  ]).finally(() => clearTimeout(guard));
});
