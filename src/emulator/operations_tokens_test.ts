import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

Deno.test("under tokensPerMinute image generations and speech count no tokens", async () => {
  const e = createEmulator({ rateLimits: { tokensPerMinute: 5 }, now: () => 0 });
  const image = await post(e, "/openai/deployments/dall-e-3/images/generations", {
    prompt: "a lighthouse",
  });
  await image.body?.cancel();
  assert.equal(image.status, 200);
  assert.equal(image.headers.get("x-ratelimit-remaining-tokens"), "5");
  const speech = await post(e, "/openai/deployments/tts/audio/speech", {
    input: "hello",
    voice: "alloy",
  }, { apiVersion: "2024-05-01-preview" });
  await speech.body?.cancel();
  assert.equal(speech.status, 200);
  assert.equal(speech.headers.get("x-ratelimit-remaining-tokens"), "5");
});
