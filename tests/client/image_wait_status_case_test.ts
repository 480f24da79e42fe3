// DALL-E 2 operation statuses compared without regard to case, as Azure's own long-running
// operation pollers do (azure-core lowercases the status): "Succeeded" ends the wait with the
// images, "Failed" with the operation's error. A status the client does not know at all keeps the
// wait polling (until maxWaitMs), as "notRunning" and "running" do.
import assert from "node:assert/strict";
import { AzureOpenAI, AzureOpenAIError } from "../../mod.ts";

/** A client whose polls answer `statuses` in turn (the last one repeated), no wait between. */
function client(statuses: string[], polls: string[]) {
  return new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-status-case-key-1234",
    fetch: (input, init) => {
      if (new Request(input, init).method === "POST") {
        return Promise.resolve(
          Response.json({ id: "op-c", status: "notRunning" }, {
            status: 202,
            headers: { "retry-after": "0" },
          }),
        );
      }
      const status = statuses[Math.min(polls.length, statuses.length - 1)];
      polls.push(status);
      return Promise.resolve(Response.json(
        {
          id: "op-c",
          created: 3,
          status,
          ...(/^succeeded$/i.test(status)
            ? { result: { data: [{ url: "https://img.example/0.png" }] } }
            : /^failed$/i.test(status)
            ? { error: { code: "contentFilter", message: "blocked" } }
            : {}),
        },
        { headers: { "retry-after": "0", "apim-request-id": "req-c" } },
      ));
    },
  });
}

Deno.test("images.generateAndWait() ends at a 'Succeeded' status (another casing) with the images", async () => {
  const polls: string[] = [];
  // Before: "Succeeded" was not an end, so the wait polled again and met the "failed".
  const res = await client(["Succeeded", "failed"], polls).images.generateAndWait(
    { prompt: "x" },
    { pollIntervalMs: 0 },
  );
  assert.deepEqual(res, { created: 3, data: [{ url: "https://img.example/0.png" }] });
  assert.deepEqual(polls, ["Succeeded"]);
});

Deno.test("images.generateAndWait() ends at 'FAILED' / 'Canceled' / 'DELETED' with the service's casing in code and message", async () => {
  for (const status of ["FAILED", "Canceled", "DELETED"]) {
    const polls: string[] = [];
    const err = await client([status, "succeeded"], polls).images.generateAndWait(
      { prompt: "x" },
      { pollIntervalMs: 0 },
    ).then(() => assert.fail(`${status}: expected a rejection`), (e) => e);
    assert.ok(err instanceof AzureOpenAIError, String(err));
    assert.deepEqual(polls, [status]);
    assert.equal(err.code, status === "FAILED" ? "contentFilter" : status);
    assert.equal(err.requestId, "req-c");
    assert.match(err.message, new RegExp(`operation op-c ended with status ${status}`));
  }
});

Deno.test("images.generateAndWait() keeps polling at a status it does not know (until maxWaitMs)", async () => {
  const polls: string[] = [];
  const res = await client(["queued", "postProcessing", "succeeded"], polls).images
    .generateAndWait({ prompt: "x" }, { pollIntervalMs: 0 });
  assert.equal(res.data.length, 1);
  assert.deepEqual(polls, ["queued", "postProcessing", "succeeded"]);
});
