import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

Deno.test("a stream call that fails with an error status leaves no listener on the caller's signal", async () => {
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "0123456789abcdef0123456789abcdef",
    deployment: "gpt",
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(Response.json({ error: { code: "bad", message: "no" } }, { status: 400 })),
  });
  const signal = new AbortController().signal;
  let listeners = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener =
    ((...a: Parameters<typeof add>) => (listeners++, add(...a))) as typeof add;
  signal.removeEventListener =
    ((...a: Parameters<typeof remove>) => (listeners--, remove(...a))) as typeof remove;
  await assert.rejects(
    client.chat.completions.create({ messages: [{ role: "user", content: "hi" }], stream: true }, {
      signal,
    }),
    { status: 400 },
  );
  assert.equal(listeners, 0);
});
