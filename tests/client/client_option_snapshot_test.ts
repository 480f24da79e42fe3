// The client keeps its own copy of defaultQuery: changing the caller's object later changes no
// request (as for defaultHeaders). Its default timeoutMs is the openai SDK's 10 minutes.
import assert from "node:assert/strict";
import { AzureOpenAI, type Middleware } from "../../mod.ts";

Deno.test("defaultQuery changed after the client was made changes no request", async () => {
  const urls: string[] = [];
  const defaultQuery: Record<string, string> = { "subscription-key": "a" };
  const client = new AzureOpenAI({
    endpoint: "http://aoai.test",
    apiKey: "k",
    defaultQuery,
    fetch: (
      input,
    ) => (urls.push(String(input instanceof Request ? input.url : input)),
      Promise.resolve(Response.json({ data: [], model: "m", object: "list" }))),
  });
  defaultQuery["subscription-key"] = "b";
  defaultQuery.extra = "c";
  await client.embeddings.create({ model: "emb", input: "hi" });
  const query = new URL(urls[0]).searchParams;
  assert.equal(query.get("subscription-key"), "a");
  assert.equal(query.has("extra"), false);
});

Deno.test("a call's timeoutMs is 600000 (10 minutes) unless the client or the call sets one", async () => {
  const seen: number[] = [];
  const look: Middleware = (ctx, next) => (seen.push(ctx.options.timeoutMs), next());
  const client = new AzureOpenAI({
    endpoint: "http://aoai.test",
    apiKey: "k",
    middleware: [look],
    fetch: () => Promise.resolve(Response.json({ data: [], model: "m", object: "list" })),
  });
  await client.embeddings.create({ model: "emb", input: "hi" });
  assert.deepEqual(seen, [600_000]);
});
