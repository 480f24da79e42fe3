import assert from "node:assert/strict";
import { AzureOpenAI } from "../client.ts";

const client = new AzureOpenAI({
  endpoint: "https://r.openai.azure.com",
  apiKey: "sk-validate-test-key-123456",
  deployment: "d",
  fetch: () => Promise.reject(new Error("no request expected")),
});
const messages = [{ role: "user" as const, content: "hi" }];

Deno.test("prepare() lists the allowed values of a closed enum", async () => {
  await assert.rejects(
    client.images.submit({ prompt: "fox", size: "1792x1024" as never }),
    /images\.submit: params\.size must be one of "256x256", "512x512", "1024x1024"; got "1792x1024"/,
  );
});

Deno.test("prepare() checks number ranges and integers", async () => {
  await assert.rejects(
    client.chat.completions.create({ messages, temperature: 3 }),
    /params\.temperature must be a number from 0 to 2; got 3/,
  );
  await assert.rejects(
    client.chat.completions.create({ messages, n: 1.5 }),
    /params\.n must be an integer from 1 to 128; got 1\.5/,
  );
  await assert.rejects(
    client.chat.completions.create({ messages, top_p: "1" as unknown as number }),
    /params\.top_p must be a number from 0 to 1; got "1"/,
  );
});

Deno.test("prepare() refuses a params value that is not an object", async () => {
  await assert.rejects(
    client.embeddings.create(null as unknown as { input: string }),
    /embeddings\.create: pass a params object/,
  );
});

Deno.test("chat and completions check messages and prompt before any request", async () => {
  await assert.rejects(
    client.chat.completions.create({ messages: [...messages, { content: "x" }] as never }),
    /chat\.completions\.create: params\.messages\[1\]\.role must be a non-empty string/,
  );
  await assert.rejects(
    client.chat.completions.create({ messages: "hi" as never }),
    /params\.messages must be a non-empty array/,
  );
  await assert.rejects(
    client.completions.create({ prompt: [] }),
    /completions\.create: params\.prompt must not be an empty array/,
  );
  await assert.rejects(
    client.completions.create({ prompt: 3 as never }),
    /params\.prompt must be a string, an array of strings or token arrays/,
  );
});

Deno.test("images operations check prompt, and submit() n, before any request", async () => {
  await assert.rejects(
    client.images.generate({ prompt: "  " }),
    /images\.generate: params\.prompt must be a non-empty string describing the image/,
  );
  await assert.rejects(
    client.images.submit({ prompt: "fox", n: 6 }),
    /images\.submit: params\.n must be an integer from 1 to 5; got 6/,
  );
  await assert.rejects(
    client.images.submit({} as never),
    /images\.submit: params\.prompt must be a non-empty string/,
  );
});
