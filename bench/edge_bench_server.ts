/**
 * Worker for the edge bench: serves, on 127.0.0.1 (random port) from its own thread, the
 * emulator (`{ role: "emulator" }`), a bare fetch proxy (`{ role: "raw-proxy", upstream }`) or
 * the edge app in front of an upstream URL (`{ role: "app", upstream, apiKey, clientKey,
 * tokenLimit? }`; `tokenLimit` turns on a per-key token budget too large to refuse anything, to
 * measure its cost). Answers `{ port, apiKey? }`; `"stop"` shuts the server down.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { AzureOpenAI } from "../mod.ts";
import { createEmulator } from "../src/emulator/mod.ts";
import { createEdgeApp, denoHandler } from "../edge/mod.ts";

type Start =
  | { role: "emulator"; apiKey: string }
  | { role: "raw-proxy"; upstream: string }
  | { role: "app"; upstream: string; apiKey: string; clientKey: string; tokenLimit?: boolean };

let server: Deno.HttpServer | undefined;

self.onmessage = async (e: MessageEvent<Start | "stop">) => {
  if (e.data === "stop") {
    await server?.shutdown();
    self.postMessage("stopped");
    return;
  }
  const start = e.data;
  let handler: (req: Request) => Promise<Response>;
  if (start.role === "emulator") {
    const emulator = createEmulator({ apiKeys: [start.apiKey] });
    handler = (req) => emulator.fetch(req);
  } else if (start.role === "raw-proxy") {
    // The floor: a bare fetch proxy (same hop, no auth, validation, routing or pipeline).
    const upstream = start.upstream;
    handler = async (req) => {
      const url = new URL(req.url);
      const res = await fetch(upstream + url.pathname + url.search, {
        method: req.method,
        headers: req.headers,
        body: await req.arrayBuffer(),
      });
      return new Response(res.body, { status: res.status, headers: res.headers });
    };
  } else {
    const app = createEdgeApp({
      upstream: new AzureOpenAI({ endpoint: start.upstream, apiKey: start.apiKey }),
      clientKeys: [start.clientKey],
      tokenLimit: start.tokenLimit ? { tokensPerMinute: 1e12 } : undefined,
    });
    handler = denoHandler(app);
  }
  server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handler);
  self.postMessage({ port: (server.addr as Deno.NetAddr).port });
};
