/**
 * Worker for the request-overhead bench: serves precomputed embeddings responses on
 * 127.0.0.1 (random port) from its own thread, so the server does not share the benchmarked
 * event loop. Post `{ dims: number[] }`; it answers `{ port }`, and `"stop"` shuts it down.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { BENCH_KEY, embeddingsBodies } from "./overhead_fixture.ts";

let server: Deno.HttpServer | undefined;

self.onmessage = async (e: MessageEvent<{ dims: number[] } | "stop">) => {
  if (e.data === "stop") {
    await server?.shutdown();
    self.postMessage("stopped");
    return;
  }
  const bodies = new Map<string, { float: string; base64: string }>();
  for (const d of e.data.dims) {
    bodies.set(`/openai/deployments/emb-${d}/embeddings`, embeddingsBodies(d));
  }
  server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const text = await req.text();
    const pair = bodies.get(new URL(req.url).pathname);
    if (!pair || req.headers.get("api-key") !== BENCH_KEY) {
      return new Response('{"error":{"code":"404","message":"no such deployment or bad key"}}', {
        status: 404,
        headers: { "content-type": "application/json" },
      });
    }
    // Azure's default is float; base64 only when asked for.
    const body = text.includes('"encoding_format":"base64"') ? pair.base64 : pair.float;
    return new Response(body, {
      headers: { "content-type": "application/json", "apim-request-id": "bench" },
    });
  });
  self.postMessage({ port: (server.addr as Deno.NetAddr).port });
};
