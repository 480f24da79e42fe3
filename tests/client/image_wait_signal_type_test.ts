// images.generateAndWait()'s `signal` of the wrong kind is refused before anything is sent with
// the TypeError the other calls give, naming the option. Before, it failed raw with
// "signal?.addEventListener is not a function" (or removeEventListener) from inside.
import assert from "node:assert/strict";
import { AzureOpenAI, type GenerateAndWaitOptions } from "../../mod.ts";

Deno.test("images.generateAndWait() refuses a signal that is not an AbortSignal, naming it", async () => {
  let sent = 0;
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-image-wait-signal-type-1234",
    fetch: () => (sent++, Promise.resolve(Response.json({ id: "op", status: "running" }))),
  });
  const signals = [
    {},
    { aborted: false, addEventListener() {} },
    { aborted: false, removeEventListener() {} },
    "abort",
  ];
  for (const signal of signals) {
    const options = { signal } as unknown as GenerateAndWaitOptions;
    const err = await client.images.generateAndWait({ prompt: "x" }, options).then(
      () => assert.fail("expected a rejection"),
      (e: Error) => e,
    );
    assert.ok(err instanceof TypeError, String(err));
    assert.equal(err.message, "images.generateAndWait: signal must be an AbortSignal");
  }
  assert.equal(sent, 0);
});
