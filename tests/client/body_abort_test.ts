// A caller's abort while it reads a streamed body the client handed on (speech, raw stream
// requests) rejects with APIUserAbortError, like every other abort of a call.
import assert from "node:assert/strict";
import { APIUserAbortError, AzureOpenAI } from "../../mod.ts";
import { startServer } from "../helpers/server.ts";

const KEY = "sk-body-abort-test-0001";

/** A body that sends one piece and then stalls until cancelled (or 5 s pass). */
function stalling(): Response {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2, 3]));
        timer = setTimeout(() => controller.close(), 5000);
      },
      cancel() {
        clearTimeout(timer);
      },
    }),
    { headers: { "content-type": "audio/mpeg" } },
  );
}

for (
  const [what, start] of [
    [
      "audio.speech.create()",
      (client: AzureOpenAI, signal: AbortSignal) =>
        client.audio.speech.create({ model: "tts", input: "hi", voice: "alloy" }, { signal }),
    ],
    [
      "request({ stream: true })",
      (client: AzureOpenAI, signal: AbortSignal) =>
        client.request({ path: "audio/speech", deployment: "tts", json: {}, stream: true }, {
          signal,
        }),
    ],
  ] as const
) {
  Deno.test(`${what}: an abort while the body is read rejects with APIUserAbortError`, async () => {
    await using server = await startServer(() => stalling());
    const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY });
    const controller = new AbortController();
    const response = await start(client, controller.signal);
    const reading = response.arrayBuffer();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(reading, (err: unknown) => {
      assert.ok(err instanceof APIUserAbortError, String(err));
      assert.match(err.message, /aborted by the caller/);
      return true;
    });
    // The same through the body stream.
    const again = new AbortController();
    const reader = (await start(client, again.signal)).body!.getReader();
    assert.deepEqual((await reader.read()).value, new Uint8Array([1, 2, 3]));
    again.abort();
    await assert.rejects(reader.read(), APIUserAbortError);
  });
}
