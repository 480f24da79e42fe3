// A client that disconnects mid-stream cancels the upstream stream, whatever layers the app puts
// on the body (onRequest / token limit observation, the chat cache's fold, the usage event's
// removal, the clean ending of a cut stream).
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp, denoHandler, type EdgeAppOptions, MemoryCache } from "../../edge/mod.ts";
import { azurePath, KEY, recordingLimiter } from "./_helpers.ts";

const encoder = new TextEncoder();
const CHUNK = 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",' +
  '"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}],"usage":null}\n\n';

const variants: Record<string, Partial<EdgeAppOptions>> = {
  "onRequest": { onRequest: () => {} },
  "a token limit (usage asked for)": { tokenLimit: { limiter: recordingLimiter().limiter } },
  "the chat cache (a deterministic stream)": { cache: new MemoryCache(), chatCache: true },
};

for (const [name, options] of Object.entries(variants)) {
  Deno.test(`a client disconnecting mid-stream cancels the upstream stream, with ${name}`, async () => {
    let cancelled!: () => void;
    const upstreamCancelled = new Promise<void>((resolve) => cancelled = resolve);
    let sent = 0;
    const app = createEdgeApp({
      upstream: new AzureOpenAI({
        endpoint: "http://upstream.test",
        apiKey: "azure-key-1",
        fetch: () =>
          Promise.resolve(
            new Response(
              new ReadableStream<Uint8Array>({
                // One event per read: an endless stream that only a cancel stops.
                pull(c) {
                  sent++;
                  c.enqueue(encoder.encode(CHUNK));
                },
                cancel() {
                  cancelled();
                },
              }, { highWaterMark: 0 }),
              { headers: { "content-type": "text/event-stream" } },
            ),
          ),
      }),
      clientKeys: [KEY],
      onError: () => {},
      ...options,
    });
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      denoHandler(app),
    );
    const controller = new AbortController();
    const res = await fetch(
      `http://127.0.0.1:${server.addr.port}${azurePath("gpt-4o", "chat/completions")}`,
      {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({
          messages: [{ role: "user", content: "hi" }],
          stream: true,
          temperature: 0,
        }),
        signal: controller.signal,
      },
    );
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.read().catch(() => {});
    await upstreamCancelled;
    const at = sent;
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(sent, at, "nothing more is read from the upstream");
  });
}
