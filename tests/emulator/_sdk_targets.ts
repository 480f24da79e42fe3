/**
 * Scaffolding of the tests that run the official `openai` SDK over HTTP: a handler served on
 * 127.0.0.1, the edge app in front of an in-process emulator, and a `fetch` for the SDK that
 * records each answer it gets.
 *
 * @module
 */
import { AzureOpenAI as CoreClient } from "../../src/client.ts";
import { createEmulator, type Emulator } from "../../src/emulator/mod.ts";
import { createEdgeApp, type EdgeApp, type EdgeAppOptions } from "../../edge/mod.ts";

/** A handler served on 127.0.0.1 (random port). */
export interface Served {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Serves `handler` with `Deno.serve` on 127.0.0.1, port 0. */
export function serveLocal(handler: (r: Request) => Promise<Response>): Served {
  const controller = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen() {} },
    handler,
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    async close() {
      controller.abort();
      await server.finished;
    },
  };
}

/** The edge app (`options`) with a fresh emulator as its upstream, and that emulator. */
export function edgeOverEmulator(
  options: Omit<EdgeAppOptions, "upstream">,
): { app: EdgeApp; emulator: Emulator; handler: (r: Request) => Promise<Response> } {
  const emulator = createEmulator();
  const upstream = new CoreClient({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: (req, init) => emulator.fetch(req, init),
  });
  const app = createEdgeApp({ ...options, upstream });
  return { app, emulator, handler: (r) => Promise.resolve(app.fetch(r)) };
}

/** One answer the SDK received, body read as text (a stream once the SDK has read it). */
export interface Seen {
  path: string;
  status: number;
  type: string;
  /** The edge app's `x-aoai-cache` (null from the emulator). */
  cache: string | null;
  body: Promise<string>;
}

/** A `fetch` for the SDK that pushes each answer it gets onto `seen`. */
export function recordingFetch(
  seen: Seen[],
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const res = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    seen.push({
      path: url.pathname,
      status: res.status,
      type: res.headers.get("content-type") ?? "",
      cache: res.headers.get("x-aoai-cache"),
      body: res.clone().text(),
    });
    return res;
  };
}
