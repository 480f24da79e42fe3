import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const REPLY = {
  object: "list",
  data: [{ object: "embedding", index: 0, embedding: [0.5] }],
  model: "m",
  usage: { prompt_tokens: 1, total_tokens: 1 },
};

function recording(defaultHeaders?: Record<string, string>) {
  const types: (string | null)[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-content-type-test-123456",
    deployment: "d",
    defaultHeaders,
    fetch: (
      req,
    ) => (types.push(req.headers.get("content-type")), Promise.resolve(Response.json(REPLY))),
  });
  return { client, types };
}

Deno.test("a JSON body is sent as application/json, whatever defaultHeaders say", async () => {
  for (const defaults of [undefined, { "content-type": "text/plain" }]) {
    const { client, types } = recording(defaults);
    await client.embeddings.create({ input: "a" });
    await client.request({ path: "embeddings", deployment: "d", json: { input: "a" } });
    assert.deepEqual(types, ["application/json", "application/json"]);
  }
});

Deno.test("a form body is sent with its own multipart type; request()'s contentType is sent for a ready body", async () => {
  const { client, types } = recording({ "content-type": "application/json" });
  const form = new FormData();
  form.append("a", "1");
  await client.request({ path: "x", body: form });
  await client.request({ path: "x", body: "<x/>", contentType: "application/xml" });
  assert.match(types[0]!, /^multipart\/form-data; boundary=/);
  assert.equal(types[1], "application/xml");
});

Deno.test("a ready body without contentType keeps the content-type of defaultHeaders or the call's headers", async () => {
  const { client, types } = recording({ "content-type": "application/xml" });
  await client.request({ path: "x", body: "<x/>" });
  await client.request({ path: "x", body: "a,b" }, { headers: { "content-type": "text/csv" } });
  assert.deepEqual(types, ["application/xml", "text/csv"]);
});
