/**
 * Worker for the request-overhead bench: serves precomputed embeddings responses on
 * 127.0.0.1 (random port) from its own thread, so the server does not share the benchmarked
 * event loop. Post `{ dims: number[] }`; it answers `{ port }`, and `"stop"` shuts it down.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { embeddingsHandler } from "./overhead_handler.ts";

let server: Deno.HttpServer | undefined;

self.onmessage = async (e: MessageEvent<{ dims: number[] } | "stop">) => {
  if (e.data === "stop") {
    await server?.shutdown();
    self.postMessage("stopped");
    return;
  }
  server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    embeddingsHandler(e.data.dims),
  );
  self.postMessage({ port: (server.addr as Deno.NetAddr).port });
};
