// A middleware of the client's list runs outside retry(): before next() it sees ctx.attempt 1 (the
// first try, as MiddlewareContext documents), after a retried call the attempt that answered.
// (Mutation testing: the context's initial `attempt: 1` moved to 2 survived every test.)
import assert from "node:assert/strict";
import { AzureOpenAI, type Middleware } from "../../mod.ts";

Deno.test("client middleware sees attempt 1 before next(), the answering attempt after", async () => {
  const seen: number[] = [];
  const outer: Middleware = async (ctx, next) => {
    seen.push(ctx.attempt);
    const response = await next();
    seen.push(ctx.attempt);
    return response;
  };
  let calls = 0;
  const client = new AzureOpenAI({
    endpoint: "http://stub.local",
    apiKey: "k",
    middleware: [outer],
    fetch: () =>
      Promise.resolve(
        ++calls == 1
          ? new Response("{}", { status: 503, headers: { "retry-after-ms": "0" } })
          : Response.json({ object: "list", data: [], model: "m", usage: {} }),
      ),
  });
  await client.embeddings.create({ model: "e", input: "x" });
  assert.equal(calls, 2);
  assert.deepEqual(seen, [1, 2]);
});
