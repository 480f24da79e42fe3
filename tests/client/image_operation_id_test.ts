/** A DALL-E 2 operation id that is a dot segment would resolve the URL to another path. */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

Deno.test("images.getOperation() / deleteOperation() refuse an id of . or .. before any request (the URL would resolve elsewhere)", async () => {
  const sent: string[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: "sk-operation-id-test-key",
    fetch: (input) => {
      sent.push(String(input instanceof Request ? input.url : input));
      return Promise.resolve(Response.json({ id: "x", status: "running" }));
    },
  });
  for (const id of [".", ".."]) {
    await assert.rejects(client.images.getOperation(id), (err: unknown) => {
      assert.ok(err instanceof TypeError, String(err));
      assert.match(
        err.message,
        /images\.getOperation: pass the operation id returned by submit\(\)/,
      );
      return true;
    });
    await assert.rejects(client.images.deleteOperation(id), TypeError);
  }
  assert.deepEqual(sent, []);
  // An id with dots inside is sent, encoded into its own segment.
  await client.images.getOperation("a..b");
  assert.match(sent[0], /\/openai\/operations\/images\/a\.\.b\?api-version=/);
});
