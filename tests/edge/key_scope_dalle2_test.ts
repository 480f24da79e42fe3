import assert from "node:assert/strict";
import { KEY, testApp } from "./_helpers.ts";

const SCOPED = "images-only-client-key-0004";
const SUBMIT = "/openai/images/generations:submit?api-version=2023-06-01-preview";

Deno.test("createEdgeApp(): a key scoped to the deployment models maps dall-e-2 to may use the DALL-E 2 operations, as its other routes", async () => {
  const t = testApp({
    models: { "dall-e-2": "images-east", "gpt-4o": "gpt-4o" },
    clientKeys: [KEY, { key: SCOPED, deployments: ["images-east"] }],
  });
  const res = await t.call(SUBMIT, { json: { prompt: "a fox" }, headers: { "api-key": SCOPED } });
  assert.notEqual(res.status, 403, await res.clone().text());
  await res.body?.cancel();
  // Still refused to a key whose scope does not reach it.
  const other = testApp({
    models: { "dall-e-2": "images-east", "gpt-4o": "gpt-4o" },
    clientKeys: [KEY, { key: SCOPED, deployments: ["gpt-4o"] }],
  });
  const refused = await other.call(SUBMIT, {
    json: { prompt: "a fox" },
    headers: { "api-key": SCOPED },
  });
  assert.equal(refused.status, 403);
  await refused.body?.cancel();
});
