// A client key limited to some deployments could send a chat body with On Your Data
// `data_sources`: the Azure resource then calls the `embedding_dependency` deployment it names
// (any deployment of the resource, over an internal call the app never sees) and reaches the
// search index, Cosmos DB or other store named there with the resource's own managed identity.
// The key used deployments and data its scope never gave it, with the app's credential.
import assert from "node:assert/strict";
import { azurePath, errorOf, KEY, testApp } from "../edge/_helpers.ts";

const CHAT_ONLY = "chat-only-client-key-0002";
const hi = { messages: [{ role: "user", content: "hi" }] };
const dataSources = [{
  type: "azure_search",
  parameters: {
    endpoint: "https://operators-index.search.windows.net",
    index_name: "private-docs",
    authentication: { type: "system_assigned_managed_identity" },
    query_type: "vector",
    embedding_dependency: {
      type: "deployment_name",
      deployment_name: "text-embedding-3-small",
    },
  },
}];

Deno.test("createEdgeApp() refuses On Your Data `data_sources` from a key limited to deployments: nothing upstream", async () => {
  const t = testApp({ clientKeys: [KEY, { key: CHAT_ONLY, deployments: ["gpt-4o"] }] });
  for (
    const [path, json] of [
      [azurePath("gpt-4o", "chat/completions"), { ...hi, data_sources: dataSources }],
      ["/openai/v1/chat/completions", { model: "gpt-4o", ...hi, data_sources: dataSources }],
      [azurePath("gpt-4o", "chat/completions"), { ...hi, stream: true, data_sources: [] }],
    ] as const
  ) {
    const res = await t.call(path, { json, headers: { "api-key": CHAT_ONLY } });
    assert.equal(res.status, 403, path);
    const error = await errorOf(res);
    assert.equal(error.code, "DataSourcesNotAllowedForKey");
    assert.ok(!error.message.includes(CHAT_ONLY), "the key is not echoed");
  }
  assert.deepEqual(t.upstream, []);
  // Without data_sources the key still chats with its deployment.
  const ok = await t.call(azurePath("gpt-4o", "chat/completions"), {
    json: hi,
    headers: { "api-key": CHAT_ONLY },
  });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  assert.equal(t.upstream.length, 1);
});

Deno.test("createEdgeApp() still passes `data_sources` on for a key without a deployment list", async () => {
  const t = testApp({ clientKeys: [KEY, { key: CHAT_ONLY, deployments: ["gpt-4o"] }] });
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
    json: { ...hi, data_sources: dataSources },
  });
  await res.body?.cancel();
  assert.equal(t.upstream.length, 1);
  assert.deepEqual(JSON.parse(await t.upstreamBodies[0]).data_sources, dataSources);
});
