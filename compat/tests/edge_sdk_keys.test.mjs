// The official openai SDK against the edge app started with two client keys, the second scoped
// to embeddings (AOAI_EDGE_KEY_DEPLOYMENTS): the SDK's own error class for the 403.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { AzureOpenAI, PermissionDeniedError } from "openai";
import { startEdgeApp } from "./_edge_app.mjs";

const KEYS = ["compat-chat-app-key-0001", "compat-indexer-key-0002"];
let app;

before(async () => {
  app = await startEdgeApp({
    AOAI_EDGE_KEYS: KEYS.join(","),
    AOAI_EDGE_KEY_DEPLOYMENTS: "*,text-embedding-3-small",
  });
});

after(async () => {
  await app?.close();
});

const client = (key) =>
  new AzureOpenAI({
    endpoint: app.url,
    apiKey: key,
    apiVersion: "2024-10-21",
    maxRetries: 2,
  });

describe("official openai SDK against the edge app with a scoped client key", () => {
  test("the start-up output counts the scoped key and prints no key", () => {
    assert.match(app.output(), /client keys limited to some deployments: 1/);
    for (const key of KEYS) assert.ok(!app.output().includes(key));
  });

  test("the scoped key embeds, and its chat request is a PermissionDeniedError", async () => {
    const indexer = client(KEYS[1]);
    const res = await indexer.embeddings.create({
      model: "text-embedding-3-small",
      input: "hi",
    });
    assert.equal(res.data[0].embedding.length, 1536);
    await assert.rejects(
      indexer.chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "hi" }],
      }),
      (err) => {
        assert.ok(err instanceof PermissionDeniedError, String(err));
        assert.equal(err.status, 403);
        assert.equal(err.code, "DeploymentNotAllowedForKey");
        return true;
      },
    );
  });

  test("the other key may chat", async () => {
    const chat = await client(KEYS[0]).chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(chat.choices[0].message.content, "You said: hi");
  });
});
