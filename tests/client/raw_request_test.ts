import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

/** A client on the emulator that records what it sends. */
function onEmulator(apiVersion?: string) {
  const emulator = createEmulator();
  const seen: Request[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    apiVersion,
    fetch: (input, init) => {
      const request = new Request(input, init);
      seen.push(request.clone());
      return emulator.fetch(request);
    },
  });
  return { client, seen };
}

const MESSAGES = [{ role: "user", content: "hi" }];

Deno.test("request() on the v1 API sends the deployment as body model", async () => {
  const { client, seen } = onEmulator("v1");
  const res = await client.request({
    path: "chat/completions",
    deployment: "gpt-4o",
    json: { messages: MESSAGES },
  });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).object, "chat.completion");
  assert.equal(new URL(seen[0].url).pathname, "/openai/v1/chat/completions");
  assert.deepEqual(await seen[0].json(), { messages: MESSAGES, model: "gpt-4o" });
});

Deno.test("request() with a per-call v1 apiVersion sends the deployment as body model", async () => {
  const { client, seen } = onEmulator();
  const res = await client.request(
    { path: "embeddings", deployment: "text-embedding-3-small", json: { input: "x" } },
    { apiVersion: "v1" },
  );
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.equal(seen[0].url, "http://emulator.local/openai/v1/embeddings");
  assert.equal((await seen[0].json()).model, "text-embedding-3-small");
});

Deno.test("request() keeps a body model of the caller's and sends none on dated versions", async () => {
  const { client, seen } = onEmulator("v1");
  const res = await client.request({
    path: "chat/completions",
    deployment: "gpt-4o",
    json: { messages: MESSAGES, model: "gpt-4o" },
  });
  await res.body?.cancel();
  assert.equal((await seen[0].json()).model, "gpt-4o");
  const dated = onEmulator();
  const res2 = await dated.client.request({
    path: "chat/completions",
    deployment: "gpt-4o",
    json: { messages: MESSAGES },
  });
  assert.equal(res2.status, 200);
  await res2.body?.cancel();
  assert.equal(
    dated.seen[0].url,
    "http://emulator.local/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
  );
  assert.deepEqual(await dated.seen[0].json(), { messages: MESSAGES });
});
