import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { wavFile } from "../../src/emulator/speech.ts";

/** A client on the emulator that records what it sends (JSON bodies and forms). */
function onEmulator(apiVersion?: string) {
  const emulator = createEmulator();
  const seen: Request[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    apiVersion,
    fetch: (input, init) => {
      const request = new Request(input, init);
      seen.push(request.clone());
      return emulator.fetch(request);
    },
  });
  return { client, seen };
}

const MESSAGES = [{ role: "user", content: "hi" }];

Deno.test("request() on the v1 API sends the deployment as body model", async () => {
  const { client, seen } = onEmulator("v1");
  const res = await client.request({
    path: "chat/completions",
    deployment: "gpt-4o",
    json: { messages: MESSAGES },
  });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).object, "chat.completion");
  assert.equal(new URL(seen[0].url).pathname, "/openai/v1/chat/completions");
  assert.deepEqual(await seen[0].json(), { messages: MESSAGES, model: "gpt-4o" });
});

Deno.test("request() with a per-call v1 apiVersion sends the deployment as body model", async () => {
  const { client, seen } = onEmulator();
  const res = await client.request(
    { path: "embeddings", deployment: "text-embedding-3-small", json: { input: "x" } },
    { apiVersion: "v1" },
  );
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.equal(seen[0].url, "http://emulator.local/openai/v1/embeddings");
  assert.equal((await seen[0].json()).model, "text-embedding-3-small");
});

Deno.test("request() keeps a body model of the caller's and sends none on dated versions", async () => {
  const { client, seen } = onEmulator("v1");
  const res = await client.request({
    path: "chat/completions",
    deployment: "gpt-4o",
    json: { messages: MESSAGES, model: "gpt-4o" },
  });
  await res.body?.cancel();
  assert.equal((await seen[0].json()).model, "gpt-4o");
  const dated = onEmulator();
  const res2 = await dated.client.request({
    path: "chat/completions",
    deployment: "gpt-4o",
    json: { messages: MESSAGES },
  });
  assert.equal(res2.status, 200);
  await res2.body?.cancel();
  assert.equal(
    dated.seen[0].url,
    "http://emulator.local/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
  );
  assert.deepEqual(await dated.seen[0].json(), { messages: MESSAGES });
});

function audioForm(): FormData {
  const form = new FormData();
  form.append("file", new File([wavFile(new Uint8Array(48_000))], "hello.wav"));
  return form;
}

Deno.test("request() on the v1 API sends the deployment as the form's model field", async () => {
  for (const [clientVersion, callVersion] of [["v1", undefined], [undefined, "v1"]]) {
    const { client, seen } = onEmulator(clientVersion);
    const form = audioForm();
    const res = await client.request(
      { path: "audio/transcriptions", deployment: "whisper", body: form },
      callVersion ? { apiVersion: callVersion } : undefined,
    );
    assert.equal(res.status, 200, await res.clone().text());
    assert.match((await res.json()).text, /hello\.wav/);
    assert.equal(new URL(seen[0].url).pathname, "/openai/v1/audio/transcriptions");
    const sent = await seen[0].formData();
    assert.equal(sent.get("model"), "whisper");
    assert.equal((sent.get("file") as File).name, "hello.wav");
    // The caller's FormData is left as it was.
    assert.deepEqual([...form.keys()], ["file"]);
  }
});

Deno.test("request() keeps a form model of the caller's and adds none on dated versions", async () => {
  const { client, seen } = onEmulator("v1");
  const form = audioForm();
  form.append("model", "whisper");
  const res = await client.request({
    path: "audio/transcriptions",
    deployment: "other",
    body: form,
  });
  await res.body?.cancel();
  assert.deepEqual((await seen[0].formData()).getAll("model"), ["whisper"]);
  const dated = onEmulator();
  const res2 = await dated.client.request({
    path: "audio/transcriptions",
    deployment: "whisper",
    body: audioForm(),
  });
  assert.equal(res2.status, 200);
  await res2.body?.cancel();
  assert.equal(
    new URL(dated.seen[0].url).pathname,
    "/openai/deployments/whisper/audio/transcriptions",
  );
  assert.equal((await dated.seen[0].formData()).has("model"), false);
});
