import assert from "node:assert/strict";
import { AzureOpenAI } from "../client.ts";
import { createEmulator } from "../emulator/mod.ts";

function emulated() {
  const emulator = createEmulator();
  return new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: emulator.fetch,
  });
}

Deno.test("a parsed JSON result carries _request_id, not enumerable, as in the openai SDK", async () => {
  const client = emulated();
  const { data, response, request_id } = await client.embeddings
    .create({ model: "text-embedding-3-small", input: "hi" })
    .withResponse();
  assert.ok(request_id);
  assert.equal(data._request_id, request_id);
  assert.equal(response.headers.get("apim-request-id"), request_id);
  assert.ok(!Object.keys(data).includes("_request_id"));
  assert.ok(!JSON.stringify(data).includes("_request_id"));
  const chat = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "hi" }],
  });
  assert.equal(typeof chat._request_id, "string");
  assert.notEqual(chat._request_id, request_id, "each call its own id");
});

Deno.test("streams, text answers and speech get no _request_id of their own", async () => {
  const client = emulated();
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "hi" }],
    stream: true,
  });
  assert.ok(!Object.hasOwn(stream, "_request_id"));
  await stream.finalChatCompletion();
  const text = await client.audio.transcriptions.create({
    model: "whisper",
    file: new Uint8Array([1, 2, 3]),
    filename: "a.wav",
    response_format: "text",
  });
  assert.equal(typeof text, "string");
  const speech = await client.audio.speech.create({ model: "tts", input: "hi", voice: "alloy" });
  assert.ok(speech instanceof Response);
  assert.ok(!Object.hasOwn(speech, "_request_id"));
  await speech.body?.cancel();
});
