/** rateLimit() through the real client and the emulator. */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { rateLimit } from "../../src/middleware/mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

/** A client with one concurrency slot that counts the requests it sends. */
function oneSlotClient() {
  const emulator = createEmulator();
  const counter = { sent: 0 };
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    maxRetries: 0,
    fetch: (request, init) => {
      counter.sent++;
      return emulator.fetch(request, init);
    },
    middleware: [rateLimit({ maxConcurrent: 1 })],
  });
  return { client, counter };
}

/** Lets pending work run (macrotask turns) until `done()` or a number of turns passed. */
async function settle(done: () => boolean) {
  for (let i = 0; i < 50 && !done(); i++) await new Promise((r) => setTimeout(r, 0));
}

/** Starts a second call and tells whether it got the slot; cleans it up either way. */
async function nextCallStarts(client: AzureOpenAI, counter: { sent: number }): Promise<boolean> {
  const before = counter.sent;
  const controller = new AbortController();
  const call = client.request({
    path: "chat/completions",
    deployment: "gpt-4o",
    json: { messages: [{ role: "user", content: "next" }] },
  }, { signal: controller.signal });
  await settle(() => counter.sent > before);
  const started = counter.sent > before;
  if (!started) controller.abort();
  await call.then((res) => res.body?.cancel(), () => {});
  return started;
}

const chat = (deployment: string) => ({
  path: "chat/completions",
  deployment,
  stream: true,
  json: { messages: [{ role: "user", content: "hi" }], stream: true },
});

Deno.test("rateLimit() frees a raw stream's slot when it ends and the caller passed a signal", async () => {
  const { client, counter } = oneSlotClient();
  const res = await client.request(chat("gpt-4o"), { signal: new AbortController().signal });
  assert.match(await res.text(), /\[DONE\]/);
  assert.ok(await nextCallStarts(client, counter), "the ended stream still holds the slot");
});

Deno.test("rateLimit() frees a raw stream's slot when its error body is read", async () => {
  const { client, counter } = oneSlotClient();
  const res = await client.request(chat("no-such-deployment"));
  assert.equal(res.status, 404);
  await res.text();
  assert.ok(await nextCallStarts(client, counter), "the read error body still holds the slot");
});

Deno.test("rateLimit() frees the slot of audio.speech.create() with a signal once the audio is read", async () => {
  const { client, counter } = oneSlotClient();
  const res = await client.audio.speech.create(
    { model: "tts", input: "hello", voice: "alloy" },
    { signal: new AbortController().signal },
  );
  assert.ok((await res.arrayBuffer()).byteLength > 0);
  assert.ok(await nextCallStarts(client, counter), "the read speech response still holds the slot");
});

Deno.test("rateLimit() keeps the url of a streamed response", async () => {
  const emulator = createEmulator();
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    // A fetched response knows its url (a constructed one does not).
    fetch: async (request, init) =>
      Object.defineProperty(await emulator.fetch(request, init), "url", {
        value: request instanceof Request ? request.url : String(request),
      }),
    middleware: [rateLimit({ maxConcurrent: 1 })],
  });
  const res = await client.request(chat("gpt-4o"));
  assert.match(res.url, /\/openai\/deployments\/gpt-4o\/chat\/completions/);
  await res.body?.cancel();
});
