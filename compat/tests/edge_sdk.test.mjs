// The official openai npm SDK pointed at the running edge app (`deno run -A edge/deno.ts`):
// AzureOpenAI with endpoint = the app's URL, OpenAI with baseURL = the app's URL + /v1.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { AuthenticationError, AzureOpenAI, NotFoundError, OpenAI } from "openai";
import { startEdgeApp } from "./_edge_app.mjs";

let app;

before(async () => {
  app = await startEdgeApp();
});

after(async () => {
  await app?.close();
});

describe("official openai SDK against the edge app", () => {
  test("the start-up output says the emulator is the upstream", () => {
    assert.match(app.output(), /upstream: the built-in emulator/);
    assert.ok(
      !app.output().includes(app.key),
      "keys from AOAI_EDGE_KEYS are not printed",
    );
  });

  test("AzureOpenAI embeddings: the second call is a cache hit with identical vectors", async () => {
    const client = new AzureOpenAI({
      endpoint: app.url,
      apiKey: app.key,
      apiVersion: "2024-10-21",
      maxRetries: 0,
    });
    const input = ["the sdk asks twice", "for the same vectors"];
    const first = await client.embeddings
      .create({ model: "text-embedding-3-small", input })
      .withResponse();
    assert.equal(first.response.headers.get("x-aoai-cache"), "miss");
    const second = await client.embeddings
      .create({ model: "text-embedding-3-small", input })
      .withResponse();
    assert.equal(second.response.headers.get("x-aoai-cache"), "hit");
    assert.equal(second.data.data.length, 2);
    assert.deepEqual(second.data.data, first.data.data);
    assert.equal(second.data.usage.prompt_tokens, 0);
  });

  test("OpenAI (baseURL /v1) embeddings hit the same cache entries", async () => {
    const client = new OpenAI({
      baseURL: `${app.url}/v1`,
      apiKey: app.key,
      maxRetries: 0,
    });
    const { data, response } = await client.embeddings
      .create({ model: "text-embedding-3-small", input: "the sdk asks twice" })
      .withResponse();
    assert.equal(response.headers.get("x-aoai-cache"), "hit");
    assert.equal(data.data[0].embedding.length, 1536);
  });

  test("AzureOpenAI streaming chat yields the tokens as they come", async () => {
    const client = new AzureOpenAI({
      endpoint: app.url,
      apiKey: app.key,
      apiVersion: "2024-10-21",
      maxRetries: 0,
    });
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "stream via the edge" }],
    });
    let content = "";
    let chunks = 0;
    let usage;
    for await (const chunk of stream) {
      chunks++;
      content += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(content, "You said: stream via the edge");
    assert.ok(chunks > 3, `got ${chunks} chunks`);
    assert.ok(usage.total_tokens > 0);
  });

  test("OpenAI (baseURL /v1) streaming chat and a non-streamed completion", async () => {
    const client = new OpenAI({
      baseURL: `${app.url}/v1`,
      apiKey: app.key,
      maxRetries: 0,
    });
    const stream = client.chat.completions.stream({
      model: "gpt-4o",
      messages: [{ role: "user", content: "v1 stream" }],
    });
    const final = await stream.finalChatCompletion();
    assert.equal(final.choices[0].message.content, "You said: v1 stream");
    const plain = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "plain" }],
    });
    assert.equal(plain.choices[0].message.content, "You said: plain");
  });

  test("the SDK sees AuthenticationError for a wrong key and NotFoundError for a bad deployment", async () => {
    const wrong = new OpenAI({
      baseURL: `${app.url}/v1`,
      apiKey: "not-a-client-key",
      maxRetries: 0,
    });
    await assert.rejects(
      wrong.embeddings.create({ model: "text-embedding-3-small", input: "x" }),
      AuthenticationError,
    );
    const client = new OpenAI({
      baseURL: `${app.url}/v1`,
      apiKey: app.key,
      maxRetries: 0,
    });
    await assert.rejects(
      client.embeddings.create({ model: "no-such-deployment", input: "x" }),
      NotFoundError,
    );
  });
});
