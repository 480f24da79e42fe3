import assert from "node:assert/strict";
import { AzureOpenAI, AzureOpenAIError } from "../../mod.ts";

/** A client whose service accepts a submit, then answers each poll with `poll(n)`. */
function pollingClient(poll: (n: number) => Response) {
  let polls = 0;
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-wait-options-key-1234",
    fetch: (input, init) => {
      if (new Request(input, init).method === "POST") {
        return Promise.resolve(
          Response.json({ id: "op-7", status: "notRunning" }, {
            status: 202,
            headers: { "retry-after": "0" },
          }),
        );
      }
      return Promise.resolve(poll(++polls));
    },
  });
  return { client, polls: () => polls };
}

for (
  const [options, name] of [
    [{ maxWaitMs: NaN }, "maxWaitMs"],
    [{ maxWaitMs: -1 }, "maxWaitMs"],
    [{ pollIntervalMs: -5 }, "pollIntervalMs"],
    [{ pollIntervalMs: Infinity }, "pollIntervalMs"],
  ] as const
) {
  Deno.test(`images.generateAndWait() refuses ${name} ${Object.values(options)[0]} before submitting`, async () => {
    // With NaN the deadline never passed: the polls went on for ever.
    const { client, polls } = pollingClient(() => Response.json({ status: "running" }));
    await assert.rejects(
      client.images.generateAndWait({ prompt: "x" }, options),
      (err: unknown) => {
        assert.ok(err instanceof TypeError, String(err));
        assert.match(
          err.message,
          new RegExp(`images\\.generateAndWait: ${name} must be a non-negative integer`),
        );
        return true;
      },
    );
    assert.equal(polls(), 0);
  });
}

Deno.test("images.generateAndWait() ends with a typed error when a poll answers a body without a status", async () => {
  for (const body of [null, {}, "text"]) {
    const { client, polls } = pollingClient(() => Response.json(body));
    await assert.rejects(
      client.images.generateAndWait({ prompt: "x" }, { maxWaitMs: 60_000 }),
      (err: unknown) => {
        assert.ok(err instanceof AzureOpenAIError, `${JSON.stringify(body)}: ${err}`);
        assert.match(err.message, /operation op-7 answered no status/);
        return true;
      },
    );
    assert.equal(polls(), 1, JSON.stringify(body));
  }
});

Deno.test("images.generateAndWait() waits pollIntervalMs between polls that give no retry-after", async () => {
  const { client, polls } = pollingClient((n) =>
    Response.json(
      n < 3
        ? { id: "op-7", status: "running" }
        : { id: "op-7", created: 5, status: "succeeded", result: { data: [{ url: "u" }] } },
    )
  );
  const res = await client.images.generateAndWait({ prompt: "x" }, { pollIntervalMs: 0 });
  assert.deepEqual(res, { created: 5, data: [{ url: "u" }] });
  assert.equal(polls(), 3);
});
