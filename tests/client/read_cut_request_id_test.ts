import assert from "node:assert/strict";
import { APIConnectionError, AzureOpenAI } from "../../mod.ts";

/** A 200 whose JSON body is cut after its first bytes, with `headers`. */
const cutBody = (headers: Record<string, string>) =>
  new Response(
    new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"id":'));
        c.error(new TypeError("connection reset"));
      },
    }),
    { headers: { "content-type": "application/json", ...headers } },
  );

Deno.test("a JSON body cut mid-read names the request id when the response has one, and none otherwise", async () => {
  for (
    const [headers, tail] of [[{ "x-request-id": "req-1" }, " [request id req-1]"], [
      {},
      "",
    ]] as const
  ) {
    const client = new AzureOpenAI({
      endpoint: "https://res.openai.azure.com",
      apiKey: "0123456789abcdef0123456789abcdef",
      maxRetries: 0,
      fetch: () => Promise.resolve(cutBody(headers)),
    });
    const err = await client.embeddings.create({ model: "e", input: "hi" }).catch((e) => e);
    assert.ok(err instanceof APIConnectionError, String(err));
    assert.ok(err.message.endsWith(`connection reset${tail}`), err.message);
  }
});
