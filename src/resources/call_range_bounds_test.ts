import assert from "node:assert/strict";
import { AzureOpenAI } from "../client.ts";

const REPLY = {
  object: "list",
  data: [{ object: "embedding", index: 0, embedding: [0.5] }],
  model: "m",
  usage: { prompt_tokens: 1, total_tokens: 1 },
};

Deno.test("call() accepts a number range's own ends: min and max are allowed values", async () => {
  const sent: unknown[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-range-test-key-123456",
    deployment: "d",
    fetch: async (req) => (sent.push(await req.json()), Response.json(REPLY)),
  });
  const messages = [{ role: "user" as const, content: "hi" }];
  for (const [temperature, n] of [[0, 1], [2, 128]]) {
    await client.chat.completions.create({ messages, temperature, n });
  }
  await client.embeddings.create({ input: "a", dimensions: 65536 });
  assert.deepEqual(
    sent.map((b) => {
      const { temperature, n, dimensions } = b as Record<string, unknown>;
      return [temperature, n, dimensions];
    }),
    [[0, 1, undefined], [2, 128, undefined], [undefined, undefined, 65536]],
  );
});
