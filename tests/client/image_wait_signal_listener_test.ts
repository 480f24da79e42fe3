// generateAndWait() links the caller's signal to its own deadline signal: the link must go when
// the wait ends, whatever ended it, or a long-lived signal keeps one listener per call.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { countedSignal } from "../helpers/counted_signal.ts";

Deno.test("images.generateAndWait() leaves no listener on the caller's long-lived signal, however the wait ends", async () => {
  let polls = 0;
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-wait-listener-key-1234",
    maxRetries: 0,
    fetch: (input, init) => {
      if (new Request(input, init).method === "POST") {
        return Promise.resolve(
          Response.json({ id: "op-8", status: "notRunning" }, { status: 202 }),
        );
      }
      // Succeeded, failed, a 404, then still running with a retry-after past maxWaitMs.
      const n = ++polls % 4;
      return Promise.resolve(
        n === 3
          ? Response.json({ error: { code: "NotFound", message: "gone" } }, { status: 404 })
          : Response.json({
            id: "op-8",
            created: 1,
            status: ["running", "succeeded", "failed"][n],
            result: { data: [] },
          }, { headers: { "retry-after": "60" } }),
      );
    },
  });
  const { controller, listeners } = countedSignal();
  const outcomes: string[] = [];
  for (let i = 0; i < 8; i++) {
    await client.images.generateAndWait({ prompt: "x" }, {
      signal: controller.signal,
      maxWaitMs: 1_000,
    }).then(() => outcomes.push("ok"), (err) => outcomes.push(err.name));
  }
  assert.deepEqual(outcomes.slice(0, 4), [
    "ok",
    "AzureOpenAIError",
    "NotFoundError",
    "APITimeoutError",
  ]);
  assert.equal(listeners(), 0);
});
