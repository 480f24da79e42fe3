import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const KEY = "0123456789abcdef0123456789abcdef";

function counting() {
  const sent: string[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: KEY,
    fetch: (request) => {
      sent.push(request.method);
      return Promise.resolve(new Response("{}"));
    },
  });
  return { client, sent };
}

// A GET cannot carry a body: fetch refused it on every attempt, so the caller's mistake was
// retried with backoff and then reported as APIConnectionError "could not reach the service;
// check the endpoint and the network".
Deno.test("request() refuses a GET with a body at once, as a TypeError", async () => {
  const { client, sent } = counting();
  for (const init of [{ json: { a: 1 } }, { body: "x" }]) {
    await assert.rejects(
      client.request({ path: "models", method: "GET", ...init }),
      (err: Error) => err.constructor === TypeError && /GET/.test(err.message),
    );
  }
  assert.deepEqual(sent, []);
});

// The default method follows whether there is a body: an empty string is one (it was sent as a
// GET, which fetch refuses).
Deno.test("request() POSTs any body by default, an empty one too", async () => {
  const { client, sent } = counting();
  await (await client.request({ path: "x", body: "" })).body?.cancel();
  await (await client.request({ path: "x" })).body?.cancel();
  assert.deepEqual(sent, ["POST", "GET"]);
});
