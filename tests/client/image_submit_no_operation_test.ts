// A 202 from images/generations:submit that names no operation (no `id` in its body, no
// `operation-location` header: a gateway's empty 202, say) is a typed error of the service that
// says so, with the request id; not a TypeError asking the caller for the id submit() returned.
import assert from "node:assert/strict";
import { AzureOpenAI, AzureOpenAIError } from "../../mod.ts";

function client(sent: string[]) {
  return new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-submit-no-op-key-1234",
    fetch: (input, init) => {
      const request = new Request(input, init);
      sent.push(request.method);
      return Promise.resolve(
        Response.json({ status: "notRunning" }, {
          status: 202,
          headers: { "apim-request-id": "req-202", "retry-after": "0" },
        }),
      );
    },
  });
}

function check(err: unknown, site: RegExp) {
  assert.ok(err instanceof AzureOpenAIError, String(err));
  assert.equal(err.status, 202);
  assert.equal(err.requestId, "req-202");
  assert.match(err.message, site);
  assert.match(err.message, /: no operation id or operation-location \[/);
  assert.match(err.message, /\[request id req-202\]$/);
  assert.doesNotMatch(err.message, /sk-image-submit/);
  return true;
}

Deno.test("images.generateAndWait() on a 202 naming no operation rejects with AzureOpenAIError (status 202, request id) and polls nothing", async () => {
  const sent: string[] = [];
  await assert.rejects(
    client(sent).images.generateAndWait({ prompt: "x" }),
    (err) => check(err, /^images\.submit /),
  );
  assert.deepEqual(sent, ["POST"]);
});

Deno.test("images.submit() on a 202 naming no operation rejects with AzureOpenAIError instead of resolving without an id", async () => {
  const sent: string[] = [];
  await assert.rejects(
    client(sent).images.submit({ prompt: "x" }),
    (err) => check(err, /^images\.submit /),
  );
  assert.deepEqual(sent, ["POST"]);
});
