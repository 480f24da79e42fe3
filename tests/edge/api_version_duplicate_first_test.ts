// `?api-version=A&api-version=B` is refused where the version is read (apiVersionOf()), before the
// body is read or validated: the 400 names api-version whatever else is wrong with the request.
import assert from "node:assert/strict";
import { errorOf, KEY, testApp } from "./_helpers.ts";

const TWO = "api-version=2024-10-21&api-version=2024-02-01";
const JSON_TYPE = { "api-key": KEY, "content-type": "application/json" };

const cases: Array<[string, string, RequestInit]> = [
  [
    "a body that fails validation",
    `/openai/deployments/gpt-4o/chat/completions?${TWO}`,
    { body: '{"messages":"not a list"}', headers: JSON_TYPE },
  ],
  [
    "a body that is no JSON",
    `/openai/deployments/gpt-4o/chat/completions?${TWO}`,
    { body: "{", headers: JSON_TYPE },
  ],
  [
    "a body over the app's limit",
    `/openai/deployments/text-embedding-3-small/embeddings?${TWO}`,
    { body: JSON.stringify({ input: "x".repeat(2048) }), headers: JSON_TYPE },
  ],
  [
    "a deployment the app does not have",
    `/openai/deployments/no-such-deployment/embeddings?${TWO}`,
    { body: '{"input":"hi"}', headers: JSON_TYPE },
  ],
  [
    "an upload that is no multipart form",
    `/openai/deployments/whisper/audio/transcriptions?${TWO}`,
    { body: "hi", headers: { "api-key": KEY, "content-type": "text/plain" } },
  ],
  [
    "a DALL-E 2 submit whose body fails validation",
    `/openai/images/generations:submit?${TWO}`,
    { body: '{"prompt":1}', headers: JSON_TYPE },
  ],
];

for (const [name, path, init] of cases) {
  Deno.test(`createEdgeApp() answers api-version given twice with different values before reading the body (${name})`, async () => {
    const t = testApp({
      maxJsonBytes: 1024,
      deployments: ["gpt-4o", "text-embedding-3-small", "whisper", "dall-e-2"],
    });
    const res = await t.call(path, { method: "POST", ...init });
    const error = await errorOf(res);
    assert.equal(res.status, 400, JSON.stringify(error));
    assert.equal(error.param, "api-version");
    assert.match(error.message, /'api-version'.*more than once/);
    assert.deepEqual(t.upstream, []);
  });
}
