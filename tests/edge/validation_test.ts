import assert from "node:assert/strict";
import { azurePath, errorOf, testApp } from "./_helpers.ts";

async function expect400(
  res: Response,
  param: string | null,
  code?: string,
  status = 400,
): Promise<{ message: string }> {
  assert.equal(res.status, status);
  const err = await errorOf(res);
  assert.equal(err.type, "invalid_request_error");
  assert.equal(err.param, param);
  if (code) assert.equal(err.code, code);
  return err;
}

Deno.test("app answers 400 for malformed JSON and sends nothing upstream", async () => {
  const t = testApp();
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"messages": [',
  });
  const err = await expect400(res, null, "invalid_json");
  assert.match(err.message, /not valid JSON/);
  const arr = await t.call(azurePath("gpt-4o", "chat/completions"), { json: [1, 2] });
  await expect400(arr, null, "invalid_json");
  assert.equal(t.upstream.length, 0);
});

Deno.test("app answers 400 naming the field for wrong types, on every JSON route", async () => {
  const t = testApp();
  const cases: [string, unknown, string][] = [
    [
      azurePath("gpt-4o", "chat/completions"),
      { messages: [{ role: "user", content: 1 }] },
      "messages[0].content",
    ],
    ["/v1/chat/completions", { model: "gpt-4o", messages: [], stream: true }, "messages"],
    [azurePath("gpt-4o", "chat/completions"), {
      messages: [{ role: "user", content: "x" }],
      temperature: "0",
    }, "temperature"],
    [azurePath("text-embedding-3-small", "embeddings"), { input: ["ok", 42] }, "input[1]"],
    [
      "/v1/embeddings",
      { model: "text-embedding-3-small", input: "x", dimensions: -1 },
      "dimensions",
    ],
    [
      azurePath("gpt-35-turbo-instruct", "completions"),
      { prompt: "x", max_tokens: "5" },
      "max_tokens",
    ],
    [azurePath("dall-e-3", "images/generations"), { prompt: 7 }, "prompt"],
    [azurePath("tts", "audio/speech"), { input: "hi" }, "voice"],
    ["/openai/images/generations:submit?api-version=2023-06-01-preview", { n: 1 }, "prompt"],
  ];
  for (const [path, json, param] of cases) {
    const res = await t.call(path, { json });
    await expect400(res, param);
  }
  assert.deepEqual(t.upstream, []);
});

Deno.test("app refuses more than 2048 embedding inputs with 400 on input", async () => {
  const t = testApp();
  const res = await t.call(azurePath("text-embedding-3-small", "embeddings"), {
    json: { input: Array.from({ length: 2049 }, (_, i) => `t${i}`) },
  });
  const err = await expect400(res, "input");
  assert.match(err.message, /2048/);
  assert.equal(t.upstream.length, 0);
});

Deno.test("app refuses bodies over the size limit, declared or streamed, with 413", async () => {
  const t = testApp({ maxJsonBytes: 1000 });
  const big = JSON.stringify({ input: "x".repeat(2000) });
  const declared = await t.call(azurePath("text-embedding-3-small", "embeddings"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: big,
  });
  await expect400(declared, "body", "request_too_large", 413);
  const bytes = new TextEncoder().encode(big);
  const streamed = await t.call(azurePath("text-embedding-3-small", "embeddings"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 100) c.enqueue(bytes.slice(i, i + 100));
        c.close();
      },
    }),
  });
  const err = await expect400(streamed, "body", "request_too_large", 413);
  assert.match(err.message, /1000 bytes/);
  assert.equal(t.upstream.length, 0);
});

Deno.test("app refuses audio uploads over maxMultipartBytes and forms without a file", async () => {
  const t = testApp({ maxMultipartBytes: 5000 });
  const form = new FormData();
  form.set("file", new File([new Uint8Array(6000)], "a.wav"));
  const big = await t.call(azurePath("whisper", "audio/transcriptions"), {
    method: "POST",
    body: form,
  });
  await expect400(big, "file", "request_too_large", 413);
  const empty = new FormData();
  empty.set("language", "en");
  const missing = await t.call(azurePath("whisper", "audio/transcriptions"), {
    method: "POST",
    body: empty,
  });
  await expect400(missing, "file", "missing_required_parameter");
  const json = await t.call(azurePath("whisper", "audio/transcriptions"), { json: {} });
  await expect400(json, "file", "invalid_content_type");
  assert.equal(t.upstream.length, 0);
});

Deno.test("app needs api-version on Azure-style routes and model on /v1 routes", async () => {
  const t = testApp();
  const chat = { messages: [{ role: "user", content: "x" }] };
  const noVersion = await t.call("/openai/deployments/gpt-4o/chat/completions", { json: chat });
  await expect400(noVersion, "api-version", "missing_required_parameter");
  const badVersion = await t.call(
    "/openai/deployments/gpt-4o/chat/completions?api-version=latest",
    { json: chat },
  );
  await expect400(badVersion, "api-version");
  const noModel = await t.call("/v1/chat/completions", { json: chat });
  await expect400(noModel, "model", "missing_required_parameter");
  const text = await t.call(azurePath("gpt-4o", "chat/completions"), {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: "hello",
  });
  await expect400(text, null, "invalid_content_type");
  assert.equal(t.upstream.length, 0);
});
