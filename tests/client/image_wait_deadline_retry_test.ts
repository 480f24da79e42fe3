// maxWaitMs bounds the whole of generateAndWait(): the submit, the polls and the retries (and
// their retry-after waits) the client's retry() makes inside one of them.
import assert from "node:assert/strict";
import { APITimeoutError, AzureOpenAI } from "../../mod.ts";

/**
 * A client whose fake service answers the request numbered `busy` (1: the submit, 2: the first
 * poll) with a 429 asking to wait 30 s; every other submit with `op-3`, every other poll with a
 * finished operation. `sent()` lists the methods sent.
 */
function busyOnce(busy: number) {
  const sent: string[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-wait-deadline-key-1234",
    fetch: (input, init) => {
      const { method } = new Request(input, init);
      sent.push(method);
      const body = sent.length === busy
        ? Response.json({ error: { code: "429", message: "busy" } }, {
          status: 429,
          headers: { "retry-after": "30" },
        })
        : method === "POST"
        ? Response.json({ id: "op-3", status: "notRunning" }, { status: 202 })
        : Response.json({ id: "op-3", created: 1, status: "succeeded", result: { data: [] } });
      return Promise.resolve(body);
    },
  });
  return { client, sent };
}

Deno.test("images.generateAndWait() ends at maxWaitMs while retry() waits out the submit's 429 (retry-after: 30)", async () => {
  const { client, sent } = busyOnce(1);
  await assert.rejects(
    client.images.generateAndWait({ prompt: "x" }, { maxWaitMs: 50 }),
    (err: unknown) => {
      assert.ok(err instanceof APITimeoutError, String(err));
      // No operation id yet: nothing to poll later.
      assert.match(
        err.message,
        /^images\.generateAndWait: the submit got no 202 after 50 ms; raise maxWaitMs$/,
      );
      return true;
    },
  );
  assert.deepEqual(sent, ["POST"], "no second submit after the deadline");
});

Deno.test("images.generateAndWait() ends at maxWaitMs while retry() waits out a poll's 429 (retry-after: 30)", async () => {
  const { client, sent } = busyOnce(2);
  await assert.rejects(
    client.images.generateAndWait({ prompt: "x" }, { maxWaitMs: 50 }),
    (err: unknown) => {
      assert.ok(err instanceof APITimeoutError, String(err));
      assert.equal(err.code, "timeout");
      // The operation's id, to poll it later (unless the deadline came before the 202 did).
      assert.match(
        err.message,
        /^images\.generateAndWait: operation op-3 still notRunning after 50 ms; raise maxWaitMs or poll with getOperation\(\)|the submit got no 202 after 50 ms/,
      );
      return true;
    },
  );
  // Before the fix retry() waited the 30 s and polled again (the operation had succeeded).
  assert.deepEqual(sent, ["POST", "GET"].slice(0, sent.length), "no retried poll");
});
