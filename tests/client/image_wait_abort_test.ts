import assert from "node:assert/strict";
import { APIUserAbortError, AzureOpenAI } from "../../mod.ts";

Deno.test("images.generateAndWait() stops at the caller's abort when the service asks for no wait (retry-after: 0) and fetch ignores the signal", async () => {
  const controller = new AbortController();
  let polls = 0;
  // A fetch that ignores the signal (an in-process handler, a service binding): only the
  // client can notice the abort between polls.
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-wait-abort-key-1234",
    fetch: (input, init) => {
      if (new Request(input, init).method === "POST") {
        return Promise.resolve(
          Response.json({ id: "op-1", status: "notRunning" }, { status: 202 }),
        );
      }
      // The caller gives up during the second poll; a third would report success.
      if (++polls === 2) controller.abort();
      const status = polls > 2 ? "succeeded" : "running";
      return Promise.resolve(
        Response.json({ id: "op-1", created: 1, status, result: { created: 1, data: [] } }, {
          headers: { "retry-after": "0" },
        }),
      );
    },
  });
  await assert.rejects(
    client.images.generateAndWait({ prompt: "x" }, { signal: controller.signal }),
    (err: unknown) => {
      assert.ok(err instanceof APIUserAbortError, String(err));
      assert.match(
        err.message,
        /images\.generateAndWait was aborted while waiting for operation op-1/,
      );
      return true;
    },
  );
  assert.equal(polls, 2, "no poll after the abort");
});
