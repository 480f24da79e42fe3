import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const KEY = "sk-options-test-key-123456";

Deno.test("AzureOpenAI() throws synchronously when no endpoint or resourceName is given", () => {
  assert.throws(() => new AzureOpenAI({ apiKey: KEY }), /endpoint.*resourceName/);
});

Deno.test("AzureOpenAI() rejects an invalid endpoint URL with a hint", () => {
  assert.throws(
    () => new AzureOpenAI({ endpoint: "my-res.openai.azure.com", apiKey: KEY }),
    /not a valid URL.*https:\/\/my-res\.openai\.azure\.com/,
  );
  assert.throws(
    () => new AzureOpenAI({ endpoint: "ftp://x", apiKey: KEY }),
    /https/,
  );
  assert.throws(
    () => new AzureOpenAI({ endpoint: `https://x.openai.azure.com/?api-key=${KEY}`, apiKey: KEY }),
    (err: Error) => /query/.test(err.message) && !err.message.includes(KEY),
  );
});

Deno.test("AzureOpenAI() builds the endpoint from resourceName and validates it", () => {
  const client = new AzureOpenAI({ resourceName: "my-res", apiKey: KEY });
  assert.equal(client.endpoint, "https://my-res.openai.azure.com");
  assert.throws(
    () => new AzureOpenAI({ resourceName: "https://my-res.openai.azure.com", apiKey: KEY }),
    /resource name/,
  );
  assert.throws(
    () =>
      new AzureOpenAI({ resourceName: "a", endpoint: "https://a.openai.azure.com", apiKey: KEY }),
    /either/,
  );
});

Deno.test("AzureOpenAI() strips a trailing /openai or slash from the endpoint", () => {
  assert.equal(
    new AzureOpenAI({ endpoint: "https://r.openai.azure.com/openai/", apiKey: KEY }).endpoint,
    "https://r.openai.azure.com",
  );
  assert.equal(
    new AzureOpenAI({ endpoint: "http://127.0.0.1:8787/", apiKey: KEY }).endpoint,
    "http://127.0.0.1:8787",
  );
});

Deno.test("AzureOpenAI() requires exactly one of apiKey, token, tokenProvider", () => {
  const endpoint = "https://r.openai.azure.com";
  assert.throws(() => new AzureOpenAI({ endpoint }), /no credentials/);
  assert.throws(
    () => new AzureOpenAI({ endpoint, apiKey: KEY, token: "tok-abcdef" }),
    (err: Error) => /exactly one.*apiKey and token/.test(err.message) && !err.message.includes(KEY),
  );
  assert.throws(
    () => new AzureOpenAI({ endpoint, token: "tok-abcdef", tokenProvider: () => "x" }),
    /exactly one/,
  );
  assert.throws(() => new AzureOpenAI({ endpoint, apiKey: "" }), /apiKey must be a non-empty/);
});

Deno.test("AzureOpenAI() validates apiVersion, maxRetries and timeoutMs", () => {
  const endpoint = "https://r.openai.azure.com";
  assert.equal(new AzureOpenAI({ endpoint, apiKey: KEY }).apiVersion, "2024-10-21");
  assert.equal(new AzureOpenAI({ endpoint, apiKey: KEY, apiVersion: "v1" }).apiVersion, "v1");
  assert.throws(
    () => new AzureOpenAI({ endpoint, apiKey: KEY, apiVersion: "latest" }),
    /apiVersion/,
  );
  assert.throws(() => new AzureOpenAI({ endpoint, apiKey: KEY, maxRetries: -1 }), /maxRetries/);
  assert.throws(() => new AzureOpenAI({ endpoint, apiKey: KEY, timeoutMs: 1.5 }), /timeoutMs/);
});

Deno.test("create() rejects before any request when no deployment is known", async () => {
  let calls = 0;
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: KEY,
    fetch: () => {
      calls++;
      return Promise.resolve(new Response("{}"));
    },
  });
  await assert.rejects(
    client.chat.completions.create({ messages: [{ role: "user", content: "hi" }] }),
    /params\.model.*deployment/,
  );
  await assert.rejects(client.embeddings.create({ input: "x" }), /model.*deployment/);
  assert.equal(calls, 0);
});

Deno.test("create() refuses bad input before the network with a message saying what to fix", async () => {
  let calls = 0;
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: KEY,
    deployment: "d",
    fetch: () => {
      calls++;
      return Promise.resolve(new Response("{}"));
    },
  });
  await assert.rejects(client.embeddings.create({ input: [] }), /input must not be an empty array/);
  await assert.rejects(client.embeddings.create({ input: "" }), /empty string/);
  await assert.rejects(
    client.embeddings.create({ input: Array.from({ length: 2049 }, () => "x") }),
    /2049 items; at most 2048/,
  );
  await assert.rejects(
    client.images.submit({ prompt: "fox", size: "1792x1024" as never }),
    /size must be one of "256x256", "512x512", "1024x1024"/,
  );
  await assert.rejects(
    client.audio.speech.create({ input: "x".repeat(4097), voice: "alloy" }),
    /4097 characters; at most 4096/,
  );
  await assert.rejects(
    client.audio.transcriptions.create({
      file: new Uint8Array(4),
      filename: "a.wav",
      temperature: 2,
    }),
    /temperature must be a number from 0 to 1/,
  );
  await assert.rejects(
    client.audio.transcriptions.create({
      file: new Uint8Array(25 * 1024 * 1024 + 1),
      filename: "big.wav",
    }),
    /at most 26214400 bytes/,
  );
  await assert.rejects(
    client.audio.transcriptions.create({ file: new Uint8Array(4) }),
    /filename is required/,
  );
  await assert.rejects(
    client.chat.completions.create({ messages: [] }),
    /messages must be a non-empty array/,
  );
  assert.equal(calls, 0);
});
