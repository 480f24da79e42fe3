// A call's own `accept` header wins over the one the client picks for the operation, and
// `accept: null` removes it, as in the openai SDK (its per-call headers are merged last). Before,
// the client set `accept` after merging the call's headers: both were overwritten.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

/** A client whose requests' headers land in `sent`; every call answers one embedding. */
function setup() {
  const sent: Headers[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-accept-per-call-key-1234",
    deployment: "emb",
    defaultHeaders: { accept: "text/default" },
    fetch: (input, init) => {
      sent.push(new Request(input, init).headers);
      return Promise.resolve(Response.json({ object: "list", data: [], model: "m", usage: {} }));
    },
  });
  return { client, sent };
}

const params = { input: "x", encoding_format: "float" as const };

Deno.test("per-call accept: null removes it, a value wins, none keeps the operation's", async () => {
  const { client, sent } = setup();
  await client.embeddings.create(params, { headers: { accept: null } });
  await client.embeddings.create(params, { headers: { Accept: "application/x-mine" } });
  await client.embeddings.create(params, { headers: { accept: undefined } });
  await client.embeddings.create(params);
  assert.deepEqual(sent.map((h) => h.get("accept")), [
    null,
    "application/x-mine",
    "application/json",
    "application/json",
  ]);
});

Deno.test("client.request(): a per-call accept wins over init.accept", async () => {
  const { client, sent } = setup();
  await client.request({ path: "x", json: {}, accept: "text/init" }, {
    headers: { accept: "text/call" },
  });
  await client.request({ path: "x", json: {}, accept: "text/init" });
  assert.deepEqual(sent.map((h) => h.get("accept")), ["text/call", "text/init"]);
});
