// An error event of a stream that echoes the api key (a proxy quoting the request, a service
// message naming what it got) reaches the caller scrubbed, as an error response's body does: the
// stream's errors come after create() returned, so the stream scrubs them itself.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { AuthenticationError } from "../../src/errors/mod.ts";

const KEY = "sk-stream-error-event-key-0123456789";

Deno.test("a stream's error event that echoes the api key throws the error without it", async () => {
  const sse =
    'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}\n\n' +
    `event: error\ndata: {"error":{"status":401,"code":"401","message":"key ${KEY} is not valid"}}\n\n`;
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: KEY,
    deployment: "gpt-4o",
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(new Response(sse, { headers: { "content-type": "text/event-stream" } })),
  });
  const stream = await client.chat.completions.create({
    messages: [{ role: "user", content: "hi" }],
    stream: true,
  });
  const error = await stream.done().then(() => undefined, (e) => e);
  assert.ok(error instanceof AuthenticationError, String(error));
  assert.ok(!JSON.stringify({ m: error.message, e: error.error }).includes(KEY), error.message);
  assert.match(error.message, /is not valid/);
});
