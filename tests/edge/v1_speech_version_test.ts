/**
 * Text-to-speech on the v1 routes (`OpenAI` SDK with `baseURL` = the app + `/v1`) with a dated
 * upstream: the app picks the api-version, and must pick one that has speech.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { SPEECH_API_VERSION } from "../../src/options.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { KEY, postJson } from "./_helpers.ts";

/** An app over the emulator whose upstream client has `apiVersion`; the upstream URLs seen. */
function appWith(apiVersion: string) {
  const emulator = createEmulator();
  const urls: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    upstream: new AzureOpenAI({
      endpoint: "http://emulator.local",
      apiKey: emulator.apiKey,
      apiVersion,
      fetch: (request, init) => {
        urls.push(request.url);
        return emulator.fetch(request, init);
      },
    }),
  });
  return { app, urls };
}

const speech = { model: "tts", input: "Hello", voice: "alloy", response_format: "wav" };

Deno.test("POST /v1/audio/speech with a GA upstream api-version (no speech) is sent the speech version", async () => {
  const { app, urls } = appWith("2024-10-21");
  for (const path of ["/v1/audio/speech", "/openai/v1/audio/speech"]) {
    const res = await app.fetch(postJson(path, speech));
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.equal(res.status, 200, new TextDecoder().decode(bytes));
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "RIFF");
  }
  assert.deepEqual(
    urls.map((url) => new URL(url).searchParams.get("api-version")),
    [SPEECH_API_VERSION, SPEECH_API_VERSION],
  );
});

Deno.test("POST /v1/audio/speech keeps an upstream preview api-version that has speech", async () => {
  const { app, urls } = appWith("2025-04-01-preview");
  const res = await app.fetch(postJson("/v1/audio/speech", speech));
  await res.body?.cancel();
  assert.equal(res.status, 200);
  assert.equal(new URL(urls[0]).searchParams.get("api-version"), "2025-04-01-preview");
});

Deno.test("an Azure-style speech request keeps the client's own api-version, as the service would", async () => {
  const { app, urls } = appWith("2024-10-21");
  const res = await app.fetch(
    postJson("/openai/deployments/tts/audio/speech?api-version=2024-10-21", speech),
  );
  await res.body?.cancel();
  assert.equal(res.status, 404);
  assert.equal(new URL(urls[0]).searchParams.get("api-version"), "2024-10-21");
});

Deno.test("POST /v1/audio/speech with the first preview that has speech (2024-02-15-preview) keeps that version", async () => {
  const { app, urls } = appWith("2024-02-15-preview");
  const res = await app.fetch(postJson("/openai/v1/audio/speech", speech));
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.equal(new URL(urls[0]).searchParams.get("api-version"), "2024-02-15-preview");
});
