/**
 * Failover scaffolding of the edge app tests: an app over two upstreams, the first one answering
 * through a `fetch` the test writes, the second an in-process emulator.
 *
 * @module
 */
import { createEmulator } from "../../src/emulator/mod.ts";
import { createEdgeApp, type EdgeApp, type EdgeAppOptions } from "../../edge/mod.ts";
import { KEY } from "./_helpers.ts";

/**
 * An app over [https://first.example answering through `fetch`, an emulator at up1.local];
 * `errors` are the lines it gives onError; `options` go to the app (a clock: `now`).
 */
export function firstThenEmulator(
  fetch: (req: Request, init?: RequestInit) => Promise<Response>,
  options: Partial<Omit<EdgeAppOptions, "upstream">> = {},
): { app: EdgeApp; errors: string[] } {
  const emulator = createEmulator({ apiKeys: ["second-key-0123456789"] });
  const errors: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: (line) => errors.push(line),
    ...options,
    upstream: [
      { endpoint: "https://first.example", apiKey: "first-key-0123456789", fetch },
      { endpoint: "http://up1.local", apiKey: emulator.apiKey, fetch: emulator.fetch },
    ],
  });
  return { app, errors };
}

/** A `fetch` answering `status` and `headers` with a body that counts the times it is cancelled. */
export function cancelCounted(
  status: number,
  headers: Record<string, string>,
): { fetch: () => Promise<Response>; cancelled: () => number } {
  let cancelled = 0;
  return {
    fetch: () =>
      Promise.resolve(
        new Response(new ReadableStream({ cancel: () => void cancelled++ }), { status, headers }),
      ),
    cancelled: () => cancelled,
  };
}
