import assert from "node:assert/strict";
import { apiKeyAuth, AzureOpenAI, type Middleware, retry } from "../../mod.ts";

// A call's retry() that moves outward past the client's auth layer moves alone: the call's
// layer after it stays where the call put it, inside auth (it sees the credential header).

Deno.test("a call's retry() moving outward past the client's auth leaves the call's next layer inside auth", async () => {
  const seen: (string | null)[] = [];
  const after: Middleware = (ctx, next) => (seen.push(ctx.request.headers.get("api-key")), next());
  const client = new AzureOpenAI({
    endpoint: "http://aoai.test",
    middleware: [apiKeyAuth("the-key")],
    fetch: () => Promise.resolve(Response.json({ data: [], model: "m", object: "list" })),
  });
  const params = { model: "text-embedding-3-small", input: "hi" };
  const middleware = [retry({ sleep: () => Promise.resolve() }), after];
  await client.embeddings.create(params, { middleware });
  assert.deepEqual(seen, ["the-key"]);
});
