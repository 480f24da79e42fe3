// SDK switch of the query options: the same code with the openai SDK's AzureOpenAI and with ours
// (compat/.build/core.mjs) sends the same query parameters (compared decoded and in name order:
// the SDK puts api-version after defaultQuery, we put it first). Run with `sh compat/run.sh`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as openai from "openai";
import * as ours from "../.build/core.mjs";
import { serve } from "./_serve.mjs";

const seen = [];
let server;

before(async () => {
  server = await serve((request) => {
    seen.push(new URL(request.url));
    return Promise.resolve(Response.json({
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [0.5] }],
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 1, total_tokens: 1 },
    }));
  });
});

after(async () => {
  await server.close();
});

/** The query pairs each library's client sent for `fn(client)`, decoded and sorted. */
async function both(options, fn) {
  const sent = [];
  for (const { AzureOpenAI } of [openai, ours]) {
    seen.length = 0;
    const client = new AzureOpenAI({
      endpoint: server.url,
      apiKey: "switch-key",
      apiVersion: "2024-10-21",
      maxRetries: 0,
      ...options,
    });
    await fn(client);
    sent.push(seen.map((url) => [...url.searchParams].map((pair) => pair.join("=")).sort()));
  }
  return sent;
}

const params = { model: "text-embedding-3-small", input: "hi", encoding_format: "float" };

describe("SDK switch: defaultQuery and a call's query", () => {
  test("the same parameters: merged, undefined left out, null empty, arrays and objects nested", async () => {
    const [sdk, edge] = await both(
      { defaultQuery: { gw: "edge", "subscription-key": "gw-key", gone: undefined } },
      async (client) => {
        await client.embeddings.create(params);
        await client.embeddings.create(params, {
          query: { gw: "call", empty: null, list: ["a", "b c"], obj: { k: "v&w" }, gone: "x" },
        });
      },
    );
    assert.deepEqual(edge, sdk);
    assert.deepEqual(edge[1], [
      "api-version=2024-10-21",
      "empty=",
      "gone=x",
      "gw=call",
      "list[]=a",
      "list[]=b c",
      "obj[k]=v&w",
      "subscription-key=gw-key",
    ]);
  });

  test("a call's api-version in query wins over the client's; defaultQuery's does not", async () => {
    const [sdk, edge] = await both(
      { defaultQuery: { "api-version": "2023-05-15" } },
      async (client) => {
        await client.embeddings.create(params);
        await client.embeddings.create(params, { query: { "api-version": "2024-06-01" } });
      },
    );
    assert.deepEqual(edge, sdk);
    assert.deepEqual(edge, [["api-version=2024-10-21"], ["api-version=2024-06-01"]]);
  });
});

describe("SDK switch: a Date in the query options", () => {
  test("is sent as its ISO text, at the top level, in an array and in an object", async () => {
    const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
    const [sdk, edge] = await both({ defaultQuery: { since: at } }, async (client) => {
      await client.embeddings.create(params, { query: { at, list: [at], obj: { at } } });
    });
    assert.deepEqual(edge, sdk);
    const iso = "2026-01-02T03:04:05.006Z";
    assert.deepEqual(edge[0], [
      "api-version=2024-10-21",
      `at=${iso}`,
      `list[]=${iso}`,
      `obj[at]=${iso}`,
      `since=${iso}`,
    ]);
  });
});
