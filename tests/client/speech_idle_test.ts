/** Text-to-speech streams its audio: streamIdleTimeoutMs bounds each wait for a chunk, as for chat. */
import assert from "node:assert/strict";
import { APITimeoutError, AzureOpenAI } from "../../mod.ts";
import { startServer } from "../helpers/server.ts";

Deno.test("audio.speech.create(): streamIdleTimeoutMs bounds the wait for the audio's next chunk", async () => {
  let cancelled = false;
  await using server = await startServer(() =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new Uint8Array([0x49, 0x44, 0x33])); // one chunk, then the service stalls
        },
        cancel() {
          cancelled = true;
        },
      }),
      { headers: { "content-type": "audio/mpeg" } },
    )
  );
  const client = new AzureOpenAI({
    endpoint: server.url,
    apiKey: "sk-speech-idle-test-key",
    maxRetries: 0,
    streamIdleTimeoutMs: 50,
  });
  const response = await client.audio.speech.create({ model: "tts", input: "hi", voice: "alloy" });
  const reader = response.body!.getReader();
  assert.equal((await reader.read()).value?.length, 3);
  // (A 10 s guard only, so a regression fails instead of hanging the run.)
  let guard: ReturnType<typeof setTimeout> | undefined;
  const stalled = Promise.race([
    reader.read(),
    new Promise((_, reject) =>
      guard = setTimeout(() => reject(new Error("no idle timeout")), 10_000)
    ),
  ]).finally(() => clearTimeout(guard));
  await assert.rejects(stalled, (err: unknown) => {
    assert.ok(err instanceof APITimeoutError, String(err));
    assert.match(err.message, /50 ms/);
    return true;
  });
  // The stalled upstream body is let go.
  for (let i = 0; !cancelled && i < 100; i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cancelled, "the upstream body was not cancelled");
});
