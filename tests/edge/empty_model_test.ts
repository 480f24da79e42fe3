import assert from "node:assert/strict";
import { azurePath, errorOf, testApp } from "./_helpers.ts";

// The openai SDK's AzureOpenAI with `deployment` puts the deployment in the URL and sends the
// body's `model` as given: its documented Azure calls pass `model: ""`. Azure ignores the body's
// `model` on a deployment path, so the app must not refuse it there.
const BODIES: [string, string, Record<string, unknown>][] = [
  ["gpt-4o", "chat/completions", { messages: [{ role: "user", content: "x" }] }],
  ["gpt-35-turbo-instruct", "completions", { prompt: "x" }],
  ["text-embedding-3-small", "embeddings", { input: "x" }],
  ["dall-e-3", "images/generations", { prompt: "x" }],
];

Deno.test('a deployment path takes a body with model: "" (the openai SDK\'s AzureOpenAI with deployment)', async () => {
  const t = testApp();
  for (const [deployment, op, body] of BODIES) {
    const res = await t.call(azurePath(deployment, op), { json: { model: "", ...body } });
    assert.equal(res.status, 200, `${op}: ${await res.clone().text()}`);
    await res.body?.cancel();
  }
  const speech = await t.call(
    `/openai/deployments/tts/audio/speech?api-version=2024-05-01-preview`,
    { json: { model: "", input: "hi", voice: "alloy" } },
  );
  assert.equal(speech.status, 200, await speech.clone().text());
  await speech.body?.cancel();
  assert.equal(t.upstream.length, BODIES.length + 1);
});

Deno.test('a /v1/ route answers model: "" with 400 missing_required_parameter, sending nothing', async () => {
  const t = testApp();
  for (const [, op, body] of BODIES) {
    const res = await t.call(`/v1/${op}`, { json: { model: "", ...body } });
    assert.equal(res.status, 400, op);
    const err = await errorOf(res);
    assert.equal(err.code, "missing_required_parameter", op);
    assert.equal(err.param, "model", op);
  }
  assert.equal(t.upstream.length, 0);
});
