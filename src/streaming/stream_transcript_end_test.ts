// A transcription stream ends with the body after `transcript.text.done` and never sends
// `[DONE]`: cut before that event, its error names the event that was missing, not `[DONE]`.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../client.ts";
import { APIConnectionError } from "../errors/mod.ts";
import { Stream } from "./stream.ts";
import { sseResponse } from "./_test_helpers.ts";

const DELTAS = [
  { type: "transcript.text.delta", delta: "Hello" },
  { type: "transcript.text.delta", delta: " there" },
];

/** The rejection of a loop over `stream`, with the events it yielded first. */
async function cut<T>(stream: Stream<T>): Promise<{ seen: unknown[]; error: unknown }> {
  const seen: unknown[] = [];
  try {
    for await (const event of stream) seen.push(event);
  } catch (error) {
    return { seen, error };
  }
  assert.fail("the loop ended without an error");
}

Deno.test("Stream of transcript events cut before transcript.text.done names that event, not [DONE]", async () => {
  const bodies = [
    // Named events, as the service sends them, and the same events unnamed.
    DELTAS.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join(""),
    DELTAS.map((e) => `data: ${JSON.stringify(e)}\n\n`).join(""),
  ];
  for (const body of bodies) {
    const { seen, error } = await cut(new Stream(sseResponse(body)));
    assert.deepEqual(seen, DELTAS);
    assert.ok(error instanceof APIConnectionError);
    assert.match(error.message, /ended before transcript\.text\.done after 2 chunks/);
    assert.doesNotMatch(error.message, /\[DONE\]/);
  }
});

Deno.test("transcriptions.create({ stream: true }) cut after a delta names transcript.text.done, not [DONE]", async () => {
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-transcript-end-key-123456",
    apiVersion: "2025-03-01-preview",
    fetch: () =>
      Promise.resolve(
        sseResponse(`event: ${DELTAS[0].type}\ndata: ${JSON.stringify(DELTAS[0])}\n\n`),
      ),
  });
  const stream = await client.audio.transcriptions.create({
    file: new File([new Uint8Array(16)], "a.wav", { type: "audio/wav" }),
    model: "gpt-4o-transcribe",
    stream: true,
  });
  const { seen, error } = await cut(stream);
  assert.deepEqual(seen, DELTAS.slice(0, 1));
  assert.ok(error instanceof APIConnectionError);
  assert.match(
    error.message,
    /^audio\.transcriptions\.create .*ended before transcript\.text\.done after 1 chunks/,
  );
});

Deno.test("Stream of chat chunks cut before [DONE] still names [DONE]", async () => {
  const { error } = await cut(
    new Stream(sseResponse('data: {"object":"chat.completion.chunk"}\n\n')),
  );
  assert.ok(error instanceof APIConnectionError);
  assert.match(error.message, /ended before \[DONE\] after 1 chunks/);
});
