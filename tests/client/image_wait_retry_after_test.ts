// images.generateAndWait() honours `retry-after`: a wait it asks for that would pass maxWaitMs
// (default 300 000 ms) ends the wait at once with the timeout error, and a poll's retry-after
// wins over pollIntervalMs. A failed operation's error names a request id only when the poll had
// one. (Mutation testing: dropping the early end, the default or a poll's retry-after survived.)
import assert from "node:assert/strict";
import { APITimeoutError, AzureOpenAI, AzureOpenAIError } from "../../mod.ts";

/**
 * A client whose fake service answers the submit (with `submitWait` as retry-after), then each
 * poll in turn with `polls` (status and retry-after), the last one for ever; `sent` the methods.
 */
function client(submitWait: string, polls: [string, string?][], sent: string[]) {
  return new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-wait-retry-after-key-1234",
    fetch: (input, init) => {
      const { method } = new Request(input, init);
      sent.push(method);
      if (method === "POST") {
        return Promise.resolve(
          Response.json({ id: "op-r", status: "notRunning" }, {
            status: 202,
            headers: { "retry-after": submitWait },
          }),
        );
      }
      const [status, wait] = polls[Math.min(sent.length - 2, polls.length - 1)];
      return Promise.resolve(Response.json(
        {
          id: "op-r",
          created: 5,
          status,
          result: { data: [{ url: "https://img.example/0.png" }] },
          ...status === "failed" && { error: { code: "contentFilter", message: "filtered" } },
        },
        { headers: wait === undefined ? {} : { "retry-after": wait } },
      ));
    },
  });
}

// A safety bound only: the right code ends at once; a wait the code wrongly sleeps through ends here.
const bound = () => AbortSignal.timeout(10_000);

Deno.test("images.generateAndWait() ends at once when the submit's retry-after passes the default maxWaitMs (300000)", async () => {
  const sent: string[] = [];
  await assert.rejects(
    client("301", [["succeeded"]], sent).images.generateAndWait({ prompt: "x" }, {
      signal: bound(),
    }),
    (err: unknown) => {
      assert.ok(err instanceof APITimeoutError, String(err));
      assert.equal(
        err.message,
        "images.generateAndWait: operation op-r still notRunning after 300000 ms; raise maxWaitMs or poll with getOperation()",
      );
      return true;
    },
  );
  assert.deepEqual(sent, ["POST"], "no poll after the deadline");
});

Deno.test("images.generateAndWait() waits a poll's retry-after, not pollIntervalMs: one past maxWaitMs ends the wait", async () => {
  const sent: string[] = [];
  await assert.rejects(
    client("0", [["running", "120"], ["succeeded"]], sent).images.generateAndWait(
      { prompt: "x" },
      { pollIntervalMs: 0, maxWaitMs: 60_000, signal: bound() },
    ),
    (err: unknown) => {
      assert.ok(err instanceof APITimeoutError, String(err));
      assert.match(err.message, /operation op-r still running after 60000 ms/);
      return true;
    },
  );
  assert.deepEqual(sent, ["POST", "GET"], "no second poll");
});

Deno.test("images.generateAndWait(): a failed operation's error has no request id part when the poll had none", async () => {
  const sent: string[] = [];
  await assert.rejects(
    client("0", [["failed"]], sent).images.generateAndWait({ prompt: "x" }),
    (err: unknown) => {
      assert.ok(err instanceof AzureOpenAIError, String(err));
      assert.equal(
        err.message,
        "images.generateAndWait: operation op-r ended with status failed: filtered",
      );
      assert.equal(err.code, "contentFilter");
      assert.equal(err.requestId, undefined);
      return true;
    },
  );
});

Deno.test("images.submit() takes the body's id when operation-location names no image operation", async () => {
  const images = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-wait-retry-after-key-1234",
    fetch: () =>
      Promise.resolve(
        Response.json({ id: "op-body", status: "notRunning" }, {
          status: 202,
          headers: { "operation-location": "https://r.openai.azure.com/openai/status/42" },
        }),
      ),
  }).images;
  assert.deepEqual(await images.submit({ prompt: "x" }), { id: "op-body", status: "notRunning" });
});
