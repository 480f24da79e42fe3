// A JSON body naming a key twice in one object: JSON.parse keeps the last, which the app checks
// (key scope, token budget, stream, model), while the body goes upstream as sent and the service's
// parser may keep the first. Refused with a 400 naming the key, at any depth, when the two value
// texts differ; nothing goes upstream (the same text twice: json_duplicate_same_value_test.ts).
import assert from "node:assert/strict";
import { MemoryCache } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, testApp } from "./_helpers.ts";

const MESSAGES = '"messages":[{"role":"user","content":"hi"}]';
const SOURCE = '{"type":"azure_search","parameters":{"endpoint":"https://s.example","index_name":' +
  '"i","authentication":{"type":"system_assigned_managed_identity"}}}';

const cases: Array<[string, string, string, string]> = [
  [
    "cached chat, data_sources twice",
    azurePath("gpt-4o", "chat/completions"),
    `{${MESSAGES},"data_sources":[${SOURCE}],"data_sources":null,"seed":1}`,
    "data_sources",
  ],
  [
    "chat, max_tokens twice",
    azurePath("gpt-4o", "chat/completions"),
    `{${MESSAGES},"max_tokens":100000,"max_tokens":10}`,
    "max_tokens",
  ],
  [
    "streamed chat, stream twice",
    azurePath("gpt-4o", "chat/completions"),
    `{${MESSAGES},"stream":true,"stream":false}`,
    "stream",
  ],
  [
    "streamed chat, stream_options twice",
    azurePath("gpt-4o", "chat/completions"),
    `{${MESSAGES},"stream":true,"stream_options":{"include_usage":true},"stream_options":null}`,
    "stream_options",
  ],
  [
    "stream_options.include_usage twice",
    azurePath("gpt-4o", "chat/completions"),
    `{${MESSAGES},"stream":true,"stream_options":{"include_usage":false,"include_usage":true}}`,
    "stream_options.include_usage",
  ],
  [
    "chat, n twice",
    azurePath("gpt-4o", "chat/completions"),
    `{${MESSAGES},"n":1,"n":100}`,
    "n",
  ],
  [
    "a message's role twice",
    azurePath("gpt-4o", "chat/completions"),
    '{"messages":[{"role":"user","content":"a"},{"role":"user","role":"system","content":"b"}]}',
    "messages[1].role",
  ],
  [
    "a name written with an escape",
    azurePath("gpt-4o", "chat/completions"),
    `{${MESSAGES},"stream":false,"str\\u0065am":true}`,
    "stream",
  ],
  [
    "v1 chat, model twice",
    "/openai/v1/chat/completions",
    `{"model":"gpt-4o","model":"gpt-4o-mini",${MESSAGES}}`,
    "model",
  ],
  [
    "completions, max_tokens twice",
    azurePath("gpt-35-turbo-instruct", "completions"),
    '{"prompt":"hi","max_tokens":1,"max_tokens":100000}',
    "max_tokens",
  ],
  [
    "cached embeddings, input twice",
    azurePath("text-embedding-3-small", "embeddings"),
    '{"input":"hi","input":["a","b"]}',
    "input",
  ],
  [
    "v1 embeddings, model twice",
    "/v1/embeddings",
    '{"model":"text-embedding-3-small","input":"hi","model":"text-embedding-3-large"}',
    "model",
  ],
  [
    "images, n twice",
    azurePath("dall-e-3", "images/generations"),
    '{"prompt":"a cat","n":1,"n":2}',
    "n",
  ],
  [
    "speech, voice twice",
    "/openai/deployments/tts/audio/speech?api-version=2024-05-01-preview",
    '{"input":"hi","voice":"alloy","voice":"nova"}',
    "voice",
  ],
  [
    "DALL-E 2 submit, prompt twice",
    "/openai/images/generations:submit?api-version=2023-06-01-preview",
    '{"prompt":"a cat","prompt":"a dog"}',
    "prompt",
  ],
];

for (const [name, path, body, param] of cases) {
  Deno.test(`createEdgeApp() refuses a JSON body with a duplicate key (${name}): 400 naming ${param}, nothing sent upstream`, async () => {
    const t = testApp({ cache: new MemoryCache(), chatCache: { ttlSeconds: 60 } });
    const res = await t.call(path, {
      method: "POST",
      body,
      headers: { "api-key": KEY, "content-type": "application/json" },
    });
    const error = await errorOf(res);
    assert.equal(res.status, 400, JSON.stringify(error));
    assert.equal(error.type, "invalid_request_error");
    assert.equal(error.code, "duplicate_key");
    assert.equal(error.param, param);
    assert.ok(error.message.includes(`"${param}"`), error.message);
    assert.match(error.message, /more than once/);
    assert.deepEqual(t.upstream, []);
  });
}

Deno.test("createEdgeApp() refuses data_sources given twice to a key limited to deployments with the 400, not by its last value", async () => {
  const t = testApp({
    deployments: ["gpt-4o"],
    clientKeys: [{ key: KEY, deployments: ["gpt-4o"] }],
  });
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
    method: "POST",
    body: `{${MESSAGES},"data_sources":[${SOURCE}],"data_sources":null}`,
    headers: { "api-key": KEY, "content-type": "application/json" },
  });
  const error = await errorOf(res);
  assert.equal(res.status, 400, JSON.stringify(error));
  assert.equal(error.param, "data_sources");
  assert.deepEqual(t.upstream, []);
});

Deno.test("createEdgeApp() passes a body whose names repeat only across objects or inside strings", async () => {
  const t = testApp();
  const body = '{"messages":[{"role":"system","content":"say \\"role\\":1, \\"role\\": 2"},' +
    '{"role":"user","content":"{\\"a\\":1,\\"a\\":2}"}],"user":"role","seed":1}';
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
    method: "POST",
    body,
    headers: { "api-key": KEY, "content-type": "application/json" },
  });
  assert.equal(res.status, 200, await res.clone().text());
  await res.body?.cancel();
  assert.equal(t.upstream.length, 1);
  assert.equal(await t.upstreamBodies[0], body);
});
