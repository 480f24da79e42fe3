// A DALL-E 2 operation that fails is an error of the service like any other: it carries the
// request id (in `requestId` and the message) and the headers of the poll that reported it.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../client.ts";
import { AzureOpenAIError } from "../errors/api_error.ts";

Deno.test("images.generateAndWait() names the failed operation's request id and keeps its headers", async () => {
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-images-op-error-123456",
    fetch: (input) => {
      const submit = new Request(input).method === "POST";
      const body = submit ? { id: "op-4", status: "notRunning" } : {
        id: "op-4",
        created: 1,
        status: "failed",
        error: { code: "contentFilter", message: "Your task failed" },
      };
      return Promise.resolve(
        new Response(JSON.stringify(body), {
          status: submit ? 202 : 200,
          headers: {
            "content-type": "application/json",
            "apim-request-id": submit ? "req-submit" : "req-poll-2",
            "retry-after": "0",
          },
        }),
      );
    },
  });
  const err = await client.images.generateAndWait({ prompt: "x" }).then(
    () => assert.fail("expected a rejection"),
    (e) => e,
  );
  assert.ok(err instanceof AzureOpenAIError);
  assert.equal(err.code, "contentFilter");
  assert.equal(err.requestId, "req-poll-2");
  assert.equal(err.headers?.get("apim-request-id"), "req-poll-2");
  assert.match(
    err.message,
    /ended with status failed: Your task failed \[request id req-poll-2\]$/,
  );
});
