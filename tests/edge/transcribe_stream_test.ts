/**
 * A streamed transcription (multipart `stream=true` to a gpt-4o-transcribe deployment) passes
 * through the edge app as it comes: each event reaches the client before the upstream sends the
 * next (the emulator's sleep between events is held until the test lets it go), with the event
 * stream's headers.
 */
import assert from "node:assert/strict";
import { azurePath, testApp } from "./_helpers.ts";

Deno.test("edge: a streamed transcription reaches the client event by event, unbuffered", async () => {
  // Each event waits for the test to release it.
  const waiting: (() => void)[] = [];
  const t = testApp({
    emulator: {
      deployments: [{ name: "t4o", model: "gpt-4o-transcribe" }],
      chunkDelayMs: 1,
      sleep: () => new Promise<void>((resolve) => waiting.push(resolve)),
    },
  });
  const form = new FormData();
  form.set("file", new File([new Uint8Array(32_000)], "talk.wav", { type: "audio/wav" }));
  form.set("stream", "true");
  const res = await t.call(azurePath("t4o", "audio/transcriptions"), {
    method: "POST",
    body: form,
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  assert.equal(res.headers.get("cache-control"), "no-cache");
  assert.equal(res.headers.get("x-accel-buffering"), "no");
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  // Reads on, letting the upstream's held events go one at a time until the read settles.
  const read = async () => {
    const next = reader.read();
    let settled = false;
    next.finally(() => settled = true).catch(() => {});
    while (!settled) {
      waiting.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    }
    const { value, done } = await next;
    return done ? undefined : decoder.decode(value, { stream: true });
  };
  // The first event arrives while the upstream still holds the others.
  const first = await read();
  assert.match(
    first ?? "",
    /^event: transcript\.text\.delta\ndata: \{"type":"transcript\.text\.delta"/,
  );
  assert.equal(t.emulator.stats.streamsCompleted, 0);
  // The rest, up to transcript.text.done and the end of the body.
  let text = first!;
  for (let piece; (piece = await read()) !== undefined;) text += piece;
  assert.match(text, /event: transcript\.text\.done\ndata: \{"type":"transcript\.text\.done"/);
  assert.ok(!text.includes("[DONE]"));
  assert.equal(t.emulator.stats.streamsCompleted, 1);
  assert.equal(t.emulator.stats.cancelledStreams, 0);
});
