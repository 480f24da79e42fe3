/**
 * The `Deno.serve` handler of the edge app.
 *
 * @module
 */
import type { EdgeApp } from "./app.ts";

/**
 * Wraps an app for `Deno.serve`. The request is rebuilt without Deno's own `request.signal`,
 * which (legacy behaviour) aborts after every successful response and would log a warning once
 * the app links it to the upstream call. A client that disconnects from a stream still cancels
 * the upstream: the response body's cancellation travels to the upstream body.
 *
 * @example Serve an app on a random local port
 * ```ts ignore
 * import { createEdgeApp, denoHandler } from "@aoai/edge/edge";
 * const app = createEdgeApp({ upstream: { endpoint: "https://r.openai.azure.com", apiKey: "k" }, clientKeys: ["client-key-1"] });
 * Deno.serve({ hostname: "127.0.0.1", port: 0 }, denoHandler(app));
 * ```
 */
export function denoHandler(app: EdgeApp): (request: Request) => Promise<Response> {
  return (request: Request): Promise<Response> =>
    app.fetch(
      new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
      }),
    );
}
