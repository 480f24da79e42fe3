/**
 * The Accept header sent upstream: the client's own, or what a client sending the same request
 * straight to Azure sends without one (fetch: `*\/*`; an SSE client: text/event-stream). The
 * documents have operations that produce other types than JSON: audio/speech answers
 * application/octet-stream, audio/transcriptions and /translations text/plain for the text
 * formats.
 */
import assert from "node:assert/strict";
import { azurePath, testApp } from "./_helpers.ts";

const SPEECH = { model: "tts", input: "Hello", voice: "alloy", response_format: "mp3" };

function audioForm(format: string): FormData {
  const form = new FormData();
  form.append("file", new File(["abc"], "a.wav"));
  form.append("response_format", format);
  return form;
}

Deno.test("text-to-speech is sent upstream with the client's Accept, or */* when it sent none (not application/json)", async () => {
  const t = testApp();
  const path = "/openai/deployments/tts/audio/speech?api-version=2024-05-01-preview";
  const none = await t.call(path, { json: SPEECH });
  assert.equal(none.status, 200);
  await none.body?.cancel();
  assert.equal(t.upstreamHeaders.at(-1)!.get("accept"), "*/*");
  const mpeg = await t.call(path, { json: SPEECH, headers: { accept: "audio/mpeg" } });
  assert.equal(mpeg.status, 200);
  await mpeg.body?.cancel();
  assert.equal(t.upstreamHeaders.at(-1)!.get("accept"), "audio/mpeg");
});

Deno.test("a text transcription or translation is sent upstream with the client's Accept, or */* (it answers text/plain)", async () => {
  const t = testApp();
  for (const op of ["audio/transcriptions", "audio/translations"]) {
    const path = azurePath("whisper", op);
    const none = await t.call(path, { method: "POST", body: audioForm("srt") });
    assert.equal(none.status, 200, op);
    await none.body?.cancel();
    assert.equal(t.upstreamHeaders.at(-1)!.get("accept"), "*/*", op);
    const text = await t.call(path, {
      method: "POST",
      body: audioForm("text"),
      headers: { accept: "text/plain, */*" },
    });
    assert.equal(text.status, 200, op);
    await text.body?.cancel();
    assert.equal(t.upstreamHeaders.at(-1)!.get("accept"), "text/plain, */*", op);
  }
});

Deno.test("JSON and streamed calls pass the client's Accept; without one a stream asks for text/event-stream and others */*", async () => {
  const t = testApp();
  const chat = azurePath("gpt-4o", "chat/completions");
  const messages = [{ role: "user", content: "hi" }];
  const cases: [string, Record<string, unknown>, string | undefined, string][] = [
    [chat, { messages }, undefined, "*/*"],
    [chat, { messages }, "application/json", "application/json"],
    [chat, { messages, stream: true }, undefined, "text/event-stream"],
    // The openai SDK sends application/json for a stream too: as a direct call would.
    [chat, { messages, stream: true }, "application/json", "application/json"],
    [azurePath("text-embedding-3-small", "embeddings"), { input: "a" }, undefined, "*/*"],
  ];
  for (const [path, json, accept, sent] of cases) {
    const res = await t.call(path, { json, headers: accept ? { accept } : {} });
    assert.equal(res.status, 200, `${path} ${accept}`);
    await res.body?.cancel();
    assert.equal(t.upstreamHeaders.at(-1)!.get("accept"), sent, `${path} ${accept}`);
  }
});
