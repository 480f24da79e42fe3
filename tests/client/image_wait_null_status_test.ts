// A DALL-E 2 poll answering `status: null` is a malformed operation (the spec requires a status):
// generateAndWait() ends with a typed error naming the operation, as for a missing status. Before,
// "null" was taken for a status the client does not know and the wait polled on until maxWaitMs;
// then the message read "ended with status null".
// A status it does not know still polls on (the spec's status enum is an open one).
import assert from "node:assert/strict";
import { AzureOpenAI, AzureOpenAIError } from "../../mod.ts";

/** A client whose first polls answer `first`, then `succeeded`; `polls` counts the polls. */
function client(first: unknown, polls: unknown[]) {
  return new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-null-status-key-1234",
    fetch: (input, init) => {
      if (new Request(input, init).method === "POST") {
        return Promise.resolve(
          Response.json({ id: "op-n", status: "notRunning" }, {
            status: 202,
            headers: { "retry-after": "0" },
          }),
        );
      }
      const status = polls.length < 3 ? first : "succeeded";
      polls.push(status);
      return Promise.resolve(Response.json(
        {
          id: "op-n",
          created: 3,
          status,
          result: { data: [{ url: "https://img.example/0.png" }] },
        },
        { headers: { "retry-after": "0", "apim-request-id": "req-n" } },
      ));
    },
  });
}

Deno.test("images.generateAndWait() ends at the first poll answering status null with a typed error", async () => {
  const polls: unknown[] = [];
  const err = await client(null, polls).images.generateAndWait({ prompt: "x" }).then(
    (res) =>
      assert.fail(`expected a rejection, got ${JSON.stringify(res)} after ${polls.length} polls`),
    (e) => e,
  );
  assert.ok(err instanceof AzureOpenAIError, String(err));
  assert.deepEqual(polls, [null]);
  // Said as what happened: "ended with status null" read as if null were a status.
  assert.equal(
    err.message,
    "images.generateAndWait: operation op-n answered no status [request id req-n]",
  );
  assert.equal(err.requestId, "req-n");
});

Deno.test("images.generateAndWait() still polls on at a status it does not know", async () => {
  const polls: unknown[] = [];
  const res = await client("queued", polls).images.generateAndWait({ prompt: "x" });
  assert.equal(res.data.length, 1);
  assert.deepEqual(polls, ["queued", "queued", "queued", "succeeded"]);
});
