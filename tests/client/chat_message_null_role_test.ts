/**
 * chat.completions.create() refuses a messages array with an entry that is no object (null, a
 * number) before sending, naming the entry's role as what to fix, not with the engine's
 * "Cannot read properties of null".
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

Deno.test("chat.completions.create() refuses a null or non-object message naming messages[i].role", async () => {
  let requests = 0;
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-null-message-test-key-1234",
    deployment: "d",
    fetch: () => (requests++, Promise.resolve(Response.json({ choices: [] }))),
  });
  for (const entry of [null, undefined, 3, "user"]) {
    await assert.rejects(
      client.chat.completions.create({
        messages: [{ role: "user", content: "hi" }, entry] as never,
      }),
      (err: unknown) => {
        assert.ok(err instanceof TypeError, String(err));
        assert.equal(
          err.message,
          'chat.completions.create: params.messages[1].role must be a non-empty string (e.g. "user")',
        );
        return true;
      },
      String(entry),
    );
  }
  assert.equal(requests, 0);
});
