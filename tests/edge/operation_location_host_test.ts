// An `operation-location` is rewritten to this app only when it is under the upstream's endpoint:
// a host that merely starts with the endpoint's text (`…azure.com.evil`) is another host.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { KEY } from "./_helpers.ts";

async function locationFor(location: string): Promise<string | null> {
  const upstream = new AzureOpenAI({
    endpoint: "https://my-res.openai.azure.com",
    apiKey: "azure-key",
    fetch: () =>
      Promise.resolve(
        Response.json({ id: "op1", status: "notRunning" }, {
          status: 202,
          headers: { "operation-location": location },
        }),
      ),
  });
  const app = createEdgeApp({ clientKeys: [KEY], upstream });
  const res = await app.fetch(
    new Request(
      "http://edge.test/openai/images/generations:submit?api-version=2023-06-01-preview",
      {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({ prompt: "a fox" }),
      },
    ),
  );
  assert.equal(res.status, 202);
  await res.body?.cancel();
  return res.headers.get("operation-location");
}

Deno.test("edge: operation-location under the upstream's endpoint is rewritten to the app", async () => {
  const path = "/openai/operations/images/op1?api-version=2023-06-01-preview";
  assert.equal(
    await locationFor(`https://my-res.openai.azure.com${path}`),
    `http://edge.test${path}`,
  );
});

Deno.test("edge: operation-location on a host that only starts with the endpoint's text is left alone", async () => {
  for (
    const other of [
      "https://my-res.openai.azure.com.evil/openai/operations/images/op1",
      "https://my-res.openai.azure.com:8443/openai/operations/images/op1",
      "https://my-res.openai.azure.comx/openai/operations/images/op1",
    ]
  ) {
    assert.equal(await locationFor(other), other);
  }
});
