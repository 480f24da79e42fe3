import assert from "node:assert/strict";
import { AzureOpenAIError } from "../errors/api_error.ts";
import { AzureOpenAI } from "../client.ts";

const REPLY = {
  object: "list",
  data: [{ object: "embedding", index: 0, embedding: [0.5] }],
  model: "m",
  usage: { prompt_tokens: 1, total_tokens: 1 },
};

function clientAnswering(body: unknown, sent: unknown[] = []) {
  return new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-embeddings-edges-key-123456",
    deployment: "d",
    fetch: async (req) => (sent.push(await req.json()), Response.json(body)),
  });
}

Deno.test("embeddings.create(): a 200 whose body is JSON null is a typed error, not a TypeError", async () => {
  await assert.rejects(
    clientAnswering(null).embeddings.create({ input: "a" }),
    (err: unknown) => err instanceof AzureOpenAIError && /embeddings\.create/.test(err.message),
  );
});

Deno.test("embeddings.create() decodes every byte of a base64 vector (the first one too)", async () => {
  // Little-endian float32 bytes, none of them 0: a byte left out changes a value.
  const bytes = new Uint8Array([0x01, 0x02, 0xc0, 0x3f, 0x07, 0x08, 0x10, 0xc0]);
  const b64 = btoa(String.fromCharCode(...bytes));
  const res = await clientAnswering({ ...REPLY, data: [{ ...REPLY.data[0], embedding: b64 }] })
    .embeddings.create({ input: "a" });
  assert.deepEqual(res.data[0].embedding, [...new Float32Array(bytes.buffer)]);
});

Deno.test("embeddings.create() sends 2048 inputs and dimensions 1, refuses 2049 inputs", async () => {
  const sent: unknown[] = [];
  const client = clientAnswering(REPLY, sent);
  await client.embeddings.create({ input: Array(2048).fill("x"), dimensions: 1 });
  assert.equal(sent.length, 1);
  await assert.rejects(
    client.embeddings.create({ input: Array(2049).fill("x") }),
    /params\.input has 2049 items; at most 2048 per request/,
  );
  assert.equal(sent.length, 1);
});
