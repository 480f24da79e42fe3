import assert from "node:assert/strict";
import { AuthenticationError, AzureOpenAI } from "../../mod.ts";

// After a 401 of its token, the client asks the tokenProvider for a fresh one. When that fails,
// the error must not say "nothing was sent": the first request was sent and refused.

Deno.test("a tokenProvider failing after a 401 says the request was refused, not that nothing was sent", async () => {
  const answers = [() => Promise.resolve("t-1"), () => Promise.reject(new Error("Entra down"))];
  let sent = 0;
  const client = new AzureOpenAI({
    endpoint: "http://aoai.test",
    tokenProvider: () => answers.shift()!(),
    maxRetries: 0,
    fetch: () => {
      sent++;
      return Promise.resolve(
        new Response('{"error":{"code":"401","message":"token expired"}}', {
          status: 401,
          headers: { "content-type": "application/json" },
        }),
      );
    },
  });
  await assert.rejects(
    client.embeddings.create({ model: "text-embedding-3-small", input: "hi" }),
    (err: unknown) => {
      assert.ok(err instanceof AuthenticationError);
      assert.equal(sent, 1);
      assert.doesNotMatch(err.message, /nothing was sent/);
      assert.match(err.message, /401/);
      assert.match(err.message, /Entra down/);
      return true;
    },
  );
});

Deno.test("a tokenProvider failing before the first request still says nothing was sent", async () => {
  let sent = 0;
  const client = new AzureOpenAI({
    endpoint: "http://aoai.test",
    tokenProvider: () => Promise.reject(new Error("Entra down")),
    fetch: () => (sent++, Promise.resolve(new Response("{}"))),
  });
  await assert.rejects(
    client.embeddings.create({ model: "text-embedding-3-small", input: "hi" }),
    /nothing was sent/,
  );
  assert.equal(sent, 0);
});
