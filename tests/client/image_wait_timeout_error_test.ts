// An expired maxWaitMs is an APITimeoutError (as an expired timeoutMs is) that still names the
// operation, so it can be polled later with getOperation().
import assert from "node:assert/strict";
import { APITimeoutError, AzureOpenAI } from "../../mod.ts";

Deno.test("images.generateAndWait() raises APITimeoutError with the operation id when retry-after would pass maxWaitMs", async () => {
  let polls = 0;
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-wait-timeout-key-1234",
    fetch: (input, init) =>
      Promise.resolve(
        new Request(input, init).method === "POST"
          ? Response.json({ id: "op-5", status: "notRunning" }, { status: 202 })
          : (polls++,
            Response.json({ id: "op-5", created: 1, status: "running" }, {
              headers: { "retry-after": "60" },
            })),
      ),
  });
  await assert.rejects(
    client.images.generateAndWait({ prompt: "x" }, { maxWaitMs: 1_000 }),
    (err: unknown) => {
      assert.ok(err instanceof APITimeoutError, String(err));
      assert.equal(err.code, "timeout");
      assert.deepEqual(err.body, { id: "op-5", created: 1, status: "running" });
      assert.match(
        err.message,
        /operation op-5 still running after 1000 ms; raise maxWaitMs or poll with getOperation\(\)/,
      );
      return true;
    },
  );
  assert.equal(polls, 1);
});
