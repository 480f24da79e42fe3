/**
 * Worker for the streaming end-to-end bench: serves a 2,000-event Azure chat stream on
 * 127.0.0.1 (random port) from its own thread. By default one write per event, like the
 * service sends tokens; deployment `stream-b{N}` writes N events at a time (`stream-b0`: the
 * whole body at once, as when the network is faster than the client). Post `{ events: number }`; it
 * answers `{ port }`; `"stop"` shuts it down.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { chatEventText } from "./sse_fixture.ts";

let server: Deno.HttpServer | undefined;

self.onmessage = async (e: MessageEvent<{ events: number } | "stop">) => {
  if (e.data === "stop") {
    await server?.shutdown();
    self.postMessage("stopped");
    return;
  }
  const encoder = new TextEncoder();
  const events: Uint8Array[] = [];
  for (let i = 0; i < e.data.events; i++) events.push(encoder.encode(chatEventText(i)));
  events.push(encoder.encode("data: [DONE]\n\n"));
  const whole = new Uint8Array(events.reduce((n, b) => n + b.length, 0));
  events.reduce((offset, b) => (whole.set(b, offset), offset + b.length), 0);
  server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    await req.body?.cancel();
    const match = /\/deployments\/stream-b(\d+)\//.exec(new URL(req.url).pathname);
    const batch = match ? Number(match[1]) : 1;
    if (batch === 0) {
      return new Response(whole, {
        headers: { "content-type": "text/event-stream; charset=utf-8", "apim-request-id": "bench" },
      });
    }
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const end = Math.min(i + batch, events.length);
        if (end - i === 1) controller.enqueue(events[i]);
        else {
          const parts = events.slice(i, end);
          const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
          parts.reduce((offset, b) => (out.set(b, offset), offset + b.length), 0);
          controller.enqueue(out);
        }
        i = end;
        if (i === events.length) controller.close();
      },
    }, { highWaterMark: 0 });
    return new Response(body, {
      headers: { "content-type": "text/event-stream; charset=utf-8", "apim-request-id": "bench" },
    });
  });
  self.postMessage({ port: (server.addr as Deno.NetAddr).port });
};
