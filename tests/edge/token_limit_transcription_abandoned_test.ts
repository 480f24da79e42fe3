// A gpt-4o-transcribe answer the client drops is still charged, as a chat answer is: the JSON
// reply (made and billed in full) is read on for its usage, and a stream cut before its
// `transcript.text.done` event is charged the estimate of the transcript it streamed. Both were
// charged nothing.
import assert from "node:assert/strict";
import type { EdgeRequestEvent } from "../../edge/mod.ts";
import { azurePath, recordingLimiter, testApp } from "./_helpers.ts";

const PATH = azurePath("t4o", "audio/transcriptions");

function upload(stream: boolean): FormData {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(32_000)], "talk.wav", { type: "audio/wav" }));
  if (stream) form.set("stream", "true");
  return form;
}

/** An app with a recording token limiter, and its next onRequest event. */
function setup() {
  const r = recordingLimiter();
  let delivered!: (event: EdgeRequestEvent) => void;
  const event = new Promise<EdgeRequestEvent>((resolve) => delivered = resolve);
  const t = testApp({
    emulator: { deployments: [{ name: "t4o", model: "gpt-4o-transcribe" }] },
    tokenLimit: { limiter: r.limiter },
    onRequest: (e) => delivered(e),
  });
  return { r, t, event };
}

/** Lets the charges started with the event reach the limiter (one task later). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("tokenLimit: a JSON gpt-4o-transcribe reply the client drops unread is charged its usage", async () => {
  const { r, t, event } = setup();
  const res = await t.call(PATH, { method: "POST", body: upload(false) });
  assert.equal(res.status, 200);
  await res.body!.cancel();
  assert.equal((await event).error, "ClientClosedRequest");
  await settle();
  // The emulator's usage for this upload (as the test of a read reply sees it).
  assert.deepEqual(r.tokens, [42]);
});

Deno.test("tokenLimit: a streamed transcription the client cuts before transcript.text.done is charged the transcript it streamed", async () => {
  const { r, t, event } = setup();
  const res = await t.call(PATH, { method: "POST", body: upload(true) });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  let text = "";
  const decoder = new TextDecoder();
  // Read up to the third delta event, then leave.
  while ((text.match(/transcript\.text\.delta/g) ?? []).length < 6) {
    const { done, value } = await reader.read();
    assert.ok(!done, "the stream ended before three deltas");
    text += decoder.decode(value, { stream: true });
  }
  assert.ok(!text.includes("transcript.text.done"));
  await reader.cancel();
  assert.equal((await event).error, "ClientClosedRequest");
  await settle();
  assert.equal(r.tokens.length, 1, "charged once");
  assert.ok(r.tokens[0] > 0, `charged ${r.tokens[0]}`);
});
