/** rateLimit() through the real client against a real local server: slots and bodies. */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { rateLimit } from "../../src/middleware/mod.ts";
import { startServer } from "../helpers/server.ts";

/** Lets pending work run (macrotask turns) until `done()` or a number of turns passed. */
async function settle(done: () => boolean) {
  for (let i = 0; i < 50 && !done(); i++) await new Promise((r) => setTimeout(r, 0));
}

Deno.test("rateLimit() maxConcurrent 1: a non-stream call holds its slot until its body was read", async () => {
  const encoder = new TextEncoder();
  // The first response sends its headers and half its body, then waits for the test.
  let finishFirst!: () => void;
  const firstHeld = new Promise<void>((resolve) => finishFirst = resolve);
  let answered = 0;
  await using server = await startServer(() => {
    const held = answered++ === 0;
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode('{"object":"list","data":[],"model":"e",'));
        if (held) await firstHeld;
        controller.enqueue(encoder.encode('"usage":{"prompt_tokens":1,"total_tokens":1}}'));
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "application/json" } });
  });
  let sent = 0;
  let headers = 0;
  const client = new AzureOpenAI({
    endpoint: server.url,
    apiKey: "rate-limit-body-key-0123456789",
    maxRetries: 0,
    fetch: (request, init) => {
      sent++;
      return fetch(request, init).then((res) => (headers++, res));
    },
    middleware: [rateLimit({ maxConcurrent: 1 })],
  });
  const params = { model: "e", input: "x" };
  const first = client.embeddings.create(params);
  let second: Promise<unknown> | undefined;
  try {
    await settle(() => headers > 0);
    assert.equal(headers, 1, "the first response's headers came");
    second = client.embeddings.create(params);
    await settle(() => sent > 1);
    assert.equal(sent, 1, "the second call went while the first one's body was still coming");
  } finally {
    finishFirst();
  }
  assert.equal((await first).object, "list");
  assert.equal(((await second) as { object: string }).object, "list");
  assert.equal(sent, 2);
});
