/**
 * `ImageOperationStatus` is an open enum: `generateAndWait()` reads the end statuses in any
 * case and polls on one it does not know, and `getOperation()` hands the body on as sent, so
 * the type must take those values too (as the other open enums of src/types do).
 */
import assert from "node:assert/strict";
import { AzureOpenAI, type ImageOperation, type ImageOperationStatus } from "../../mod.ts";

Deno.test("ImageOperation types a status in another case or a newer status as the service sends it", async () => {
  const sent: ImageOperation[] = [
    { id: "op-1", created: 1, status: "Succeeded", result: { created: 1, data: [] } },
    { id: "op-2", created: 1, status: "queued" },
  ];
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: "sk-operation-status-test-key",
    apiVersion: "2023-06-01-preview",
    fetch: (input) => {
      const url = String(input instanceof Request ? input.url : input);
      const body = sent.find((op) => url.includes(`/${op.id}?`));
      return Promise.resolve(Response.json(body));
    },
  });
  for (const op of sent) {
    const got: ImageOperation = await client.images.getOperation(op.id);
    const status: ImageOperationStatus = got.status;
    assert.equal(status, op.status);
  }
  // The known statuses stay in the union (autocompletion, narrowing by comparison).
  const known: ImageOperationStatus[] = ["notRunning", "running", "succeeded", "canceled"];
  assert.equal(known.length, 4);
});
