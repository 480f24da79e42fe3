import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { rateLimit } from "../../src/middleware/mod.ts";

// Without an injected fetch, the client sends a call as URL + init, never building a Request it
// does not need (a Request per call costs µs). rateLimit() reads the call's origin for its
// per-deployment lanes without building one.

Deno.test("rateLimit() does not make the client build a Request", async () => {
  const inputs: unknown[] = [];
  const real = globalThis.fetch;
  const RealRequest = globalThis.Request;
  let built = 0;
  globalThis.Request = class extends RealRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(input, init);
      built++;
    }
  };
  globalThis.fetch = (input: RequestInfo | URL) => {
    inputs.push(input);
    return Promise.resolve(
      new Response('{"object":"list","data":[]}', {
        headers: { "content-type": "application/json", "x-ratelimit-remaining-requests": "10" },
      }),
    );
  };
  try {
    const client = new AzureOpenAI({
      endpoint: "http://aoai.test",
      apiKey: "k",
      middleware: [rateLimit({ requestsPerMinute: 100 })],
    });
    await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
    await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
  } finally {
    globalThis.fetch = real;
    globalThis.Request = RealRequest;
  }
  assert.equal(built, 0, "no Request was built");
  assert.equal(inputs.length, 2);
  for (const input of inputs) assert.equal(typeof input, "string", "fetch got URL + init");
});
