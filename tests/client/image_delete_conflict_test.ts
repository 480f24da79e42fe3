// images.deleteOperation() of an operation still queued or running: the service answers 409, one
// of the statuses the default retry() retries, so the DELETE goes out 3 times (backoff between)
// before the ConflictError; { maxRetries: 0 } gets it at once. Pins what the doc comment says.
import assert from "node:assert/strict";
import { AzureOpenAI, ConflictError } from "../../mod.ts";

function client(sent: string[]) {
  return new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-delete-conflict-key-1234",
    fetch: (input, init) => {
      sent.push(new Request(input, init).method);
      return Promise.resolve(Response.json(
        { error: { code: "conflict", message: "The operation is still running." } },
        // A 1 ms wait asked for, so the retries' backoff does not sleep in the test.
        { status: 409, headers: { "retry-after-ms": "1" } },
      ));
    },
  });
}

Deno.test("images.deleteOperation() of a running operation: the default retry() sends the DELETE 3 times before ConflictError", async () => {
  const sent: string[] = [];
  await assert.rejects(client(sent).images.deleteOperation("op-r"), ConflictError);
  assert.deepEqual(sent, ["DELETE", "DELETE", "DELETE"]);
});

Deno.test("images.deleteOperation(id, { maxRetries: 0 }) of a running operation rejects with ConflictError after one DELETE", async () => {
  const sent: string[] = [];
  await assert.rejects(
    client(sent).images.deleteOperation("op-r", { maxRetries: 0 }),
    (err: unknown) => {
      assert.ok(err instanceof ConflictError, String(err));
      assert.equal(err.status, 409);
      assert.match(err.message, /images\.deleteOperation .*still running/);
      return true;
    },
  );
  assert.deepEqual(sent, ["DELETE"]);
});
