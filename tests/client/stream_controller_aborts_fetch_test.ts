import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const PARAMS = {
  model: "gpt-4o",
  messages: [{ role: "user" as const, content: "hi" }],
  stream: true as const,
};

/** A client whose fetch answers an event stream that never ends and records the signal it got. */
function recording(timeoutMs?: number) {
  const seen: (AbortSignal | undefined)[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://stub.local",
    apiKey: "k",
    maxRetries: 0,
    timeoutMs,
    fetch: (input, init) => {
      seen.push(init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined);
      const body = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
      return Promise.resolve(
        new Response(body, { headers: { "content-type": "text/event-stream" } }),
      );
    },
  });
  return { client, seen };
}

for (const timeoutMs of [undefined, 0]) {
  Deno.test(`stream.controller.abort() aborts the signal fetch got (timeoutMs ${timeoutMs})`, async () => {
    const { client, seen } = recording(timeoutMs);
    const stream = await client.chat.completions.create(PARAMS);
    assert.equal(seen.length, 1);
    assert.ok(seen[0], "a stream's fetch gets a signal");
    assert.equal(seen[0].aborted, false);
    stream.controller.abort();
    assert.equal(seen[0].aborted, true);
  });
}
