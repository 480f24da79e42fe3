import assert from "node:assert/strict";
import { AzureOpenAI } from "../client.ts";

Deno.test("embeddings.create() refuses a bad first item of input (index 0) before sending", async () => {
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-embeddings-first-item-123456",
    deployment: "d",
    fetch: () => Promise.reject(new Error("no request expected")),
  });
  for (const input of [["", "x"], [[], [1]]]) {
    await assert.rejects(
      client.embeddings.create({ input: input as string[] }),
      /embeddings\.create: params\.input\[0\] must be a non-empty string or token array/,
    );
  }
});
