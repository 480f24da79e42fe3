import assert from "node:assert/strict";
import { AzureOpenAI } from "../client.ts";
import { AzureOpenAIError } from "../errors/api_error.ts";

function recording(apiVersion?: string) {
  const seen: Request[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-embeddings-test-key-123456",
    deployment: "emb",
    apiVersion,
    fetch: (input, init) => {
      seen.push(new Request(input, init));
      const vector = new Uint8Array(new Float32Array([0.5, -2]).buffer);
      return Promise.resolve(Response.json({
        object: "list",
        data: [{ object: "embedding", index: 0, embedding: btoa(String.fromCharCode(...vector)) }],
        model: "m",
        usage: { prompt_tokens: 1, total_tokens: 1 },
      }));
    },
  });
  return { client, seen };
}

Deno.test("embeddings.create() refuses a bad item with its index before any request", async () => {
  const { client, seen } = recording();
  for (const input of [["a", ""], ["a", []], ["a", [1, 1.5]], ["a", 3]]) {
    await assert.rejects(
      client.embeddings.create({ input: input as string[] }),
      /embeddings\.create: params\.input\[1\] must/,
    );
  }
  await assert.rejects(
    client.embeddings.create({ input: 3 as unknown as string }),
    /params\.input must be a string, an array of strings or of token arrays/,
  );
  await assert.rejects(
    client.embeddings.create({ input: "a", dimensions: 0 }),
    /params\.dimensions must be an integer from 1 to 65536; got 0/,
  );
  assert.equal(seen.length, 0);
});

Deno.test("embeddings.create() accepts one token array of any length and token-array batches", async () => {
  const { client, seen } = recording();
  await client.embeddings.create({ input: Array.from({ length: 3000 }, (_, i) => i) });
  await client.embeddings.create({ input: [[1, 2], [3]] });
  assert.equal(seen.length, 2);
});

Deno.test("embeddings.create() sends base64, leaves out undefined fields and decodes vectors", async () => {
  const { client, seen } = recording();
  const res = await client.embeddings.create({ model: "other", input: "a", user: undefined });
  assert.deepEqual(res.data[0].embedding, [0.5, -2]);
  assert.equal(new URL(seen[0].url).pathname, "/openai/deployments/other/embeddings");
  assert.equal(await seen[0].text(), '{"input":"a","encoding_format":"base64"}');
});

Deno.test("embeddings.create() on v1 puts the deployment in body model, where params put it", async () => {
  const { client, seen } = recording("v1");
  await client.embeddings.create({ input: "a", model: "emb", encoding_format: "float" });
  assert.equal(await seen[0].text(), '{"input":"a","model":"emb","encoding_format":"float"}');
});

Deno.test("embeddings.create() sends no encoding_format on api-versions whose spec lacks it", async () => {
  const { createEmulator } = await import("../emulator/mod.ts");
  const emulator = createEmulator();
  const bodies: string[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    apiVersion: "2024-02-01",
    fetch: async (input, init) => {
      const req = new Request(input, init);
      bodies.push(await req.clone().text());
      return emulator.fetch(req);
    },
  });
  const params = { model: "text-embedding-3-small", input: "a" };
  const old = await client.embeddings.create(params);
  const newer = await client.embeddings.create(params, { apiVersion: "2024-05-01-preview" });
  assert.deepEqual(JSON.parse(bodies[0]), { input: "a" });
  assert.deepEqual(JSON.parse(bodies[1]), { input: "a", encoding_format: "base64" });
  // Float on the wire for 2024-02-01, base64 decoded for the newer one: the same vector.
  assert.equal(old.data[0].embedding.length, newer.data[0].embedding.length);
  assert.ok(old.data[0].embedding.every((x, i) => Math.abs(x - newer.data[0].embedding[i]) < 1e-6));
});

function answering(body: unknown) {
  return new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-embeddings-test-key-123456",
    deployment: "emb",
    fetch: () => Promise.resolve(Response.json(body, { headers: { "apim-request-id": "req-7" } })),
  });
}

Deno.test("embeddings.create() turns a 200 carrying an error object into a typed error", async () => {
  const client = answering({ error: { code: "Throttled", message: "gateway says no" } });
  for (const encoding_format of [undefined, "base64"] as const) {
    const err = await client.embeddings.create({ input: "a", encoding_format }).catch((e) => e);
    assert.ok(err instanceof AzureOpenAIError, String(err));
    assert.equal(err.status, 200);
    assert.equal(err.code, "Throttled");
    assert.equal(err.requestId, "req-7");
    assert.match(
      err.message,
      /^embeddings\.create .*failed with status 200 \(code Throttled\): gateway says no/,
    );
  }
});

Deno.test("embeddings.create() refuses a base64 vector that is cut or not base64, naming it", async () => {
  const vector = (text: string) => ({
    object: "list",
    data: [
      { object: "embedding", index: 0, embedding: "AAAAPw==" },
      { object: "embedding", index: 1, embedding: text },
    ],
    model: "m",
    usage: { prompt_tokens: 1, total_tokens: 1 },
  });
  // 6 bytes (one float and a half), then characters atob() refuses.
  for (const text of ["AAAAPwAA", "%%%%"]) {
    const err = await answering(vector(text)).embeddings.create({ input: ["a", "b"] })
      .catch((e) => e);
    assert.ok(err instanceof AzureOpenAIError, String(err));
    assert.match(err.message, /failed with status 200: a base64 vector is cut or corrupt/);
  }
  const ok = await answering(vector("AAAAPwAAAL8=")).embeddings.create({ input: ["a", "b"] });
  assert.deepEqual(ok.data.map((d) => d.embedding), [[0.5], [0.5, -0.5]]);
});
