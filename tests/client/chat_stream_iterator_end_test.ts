// chat.completions.stream() as an async iterable: a loop waiting for the next chunk when the stream
// ends whole just ends (no throw), with every chunk; a loop waiting when it fails throws the error.
import assert from "node:assert/strict";
import { AzureOpenAI, InternalServerError } from "../../mod.ts";
import { sseChunk } from "./_helpers.ts";

/** A client whose reply is `parts`, each sent when the previous one was read. */
function client(parts: string[], status = 200) {
  return new AzureOpenAI({
    endpoint: "http://stub.local",
    apiKey: "k",
    maxRetries: 0,
    fetch: () => {
      const encoder = new TextEncoder();
      let i = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          i < parts.length ? controller.enqueue(encoder.encode(parts[i++])) : controller.close();
        },
      }, { highWaterMark: 0 });
      return Promise.resolve(
        new Response(status == 200 ? body : JSON.stringify({ error: { message: "down" } }), {
          status,
          headers: { "content-type": status == 200 ? "text/event-stream" : "application/json" },
        }),
      );
    },
  });
}

const PARAMS = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };

Deno.test("stream(): a loop waiting at the end of a whole reply ends without throwing", async () => {
  const stream = client([
    sseChunk({ role: "assistant", content: "a" }),
    sseChunk({ content: "b" }),
    sseChunk({}, "stop"),
    "data: [DONE]\n\n",
  ]).chat.completions.stream(PARAMS);
  const texts: (string | null | undefined)[] = [];
  for await (const c of stream) texts.push(c.choices[0]?.delta?.content);
  assert.deepEqual(texts, ["a", "b", undefined]);
  assert.ok(stream.ended && !stream.errored);
});

Deno.test("stream(): a loop waiting when the call fails throws its error", async () => {
  const stream = client([], 500).chat.completions.stream(PARAMS);
  stream.on("error", () => {});
  await assert.rejects(async () => {
    for await (const _ of stream) { /* none */ }
  }, InternalServerError);
});
