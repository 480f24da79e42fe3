import assert from "node:assert/strict";
import { APITimeoutError, APIUserAbortError, AzureOpenAI } from "../../mod.ts";
import { startServer } from "../helpers/server.ts";

const KEY = "0123456789abcdef0123456789abcdef";
const encoder = new TextEncoder();

/** An event stream that sends one event, then nothing until `stalled` ends (or it is cancelled). */
function stalling(stalled: Promise<unknown>) {
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode("data: {}\n\n"));
      await stalled;
      if (!cancelled) controller.enqueue(encoder.encode("data: [DONE]\n\n"));
      if (!cancelled) controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

// The deadline of a stream ends at its headers; after that nothing bounded a raw stream (the
// README: "streamIdleTimeoutMs ... bounds the wait between chunks"), so a stalled upstream held a
// relay open for good. The server stalls far longer than the idle timeout, then ends the body: a
// read that gets its rest instead of APITimeoutError had no idle timeout.
for (const where of ["client", "call"] as const) {
  Deno.test(`request({ stream: true }) applies the ${where}'s streamIdleTimeoutMs`, async () => {
    let release!: (v?: unknown) => void;
    const stalled = new Promise((resolve) => release = resolve);
    const wait = setTimeout(release, 2_000);
    await using server = await startServer(() => stalling(stalled));
    const client = new AzureOpenAI({
      endpoint: server.url,
      apiKey: KEY,
      streamIdleTimeoutMs: where === "client" ? 5 : undefined,
    });
    const response = await client.request(
      { path: "chat/completions", deployment: "gpt-4o", json: { messages: [] }, stream: true },
      where === "call" ? { streamIdleTimeoutMs: 5 } : undefined,
    );
    assert.equal(response.status, 200);
    assert.equal(new URL(response.url).pathname, "/openai/deployments/gpt-4o/chat/completions");
    const reader = response.body!.getReader();
    assert.equal(new TextDecoder().decode((await reader.read()).value), "data: {}\n\n");
    await assert.rejects(
      reader.read(),
      (err: Error) => err instanceof APITimeoutError && /streamIdleTimeoutMs/.test(err.message),
    );
    clearTimeout(wait);
    release();
  });
}

Deno.test("request({ stream: true }) without an idle timeout reads a stream that pauses", async () => {
  let release!: (v?: unknown) => void;
  const stalled = new Promise((resolve) => release = resolve);
  await using server = await startServer(() => stalling(stalled));
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY });
  const response = await client.request({
    path: "chat/completions",
    deployment: "gpt-4o",
    json: { messages: [] },
    stream: true,
  });
  const text = response.text();
  setTimeout(release, 20);
  assert.equal(await text, "data: {}\n\ndata: [DONE]\n\n");
});

Deno.test("request({ stream: true }) with an idle timeout still aborts through the caller's signal", async () => {
  const stalled = new Promise(() => {});
  await using server = await startServer(() => stalling(stalled));
  const client = new AzureOpenAI({
    endpoint: server.url,
    apiKey: KEY,
    streamIdleTimeoutMs: 60_000,
  });
  const controller = new AbortController();
  const response = await client.request(
    { path: "chat/completions", deployment: "gpt-4o", json: { messages: [] }, stream: true },
    { signal: controller.signal },
  );
  const reader = response.body!.getReader();
  await reader.read();
  const next = reader.read();
  controller.abort();
  await assert.rejects(next, APIUserAbortError);
});
