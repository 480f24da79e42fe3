/**
 * The `Deno.serve` handler of the edge app.
 *
 * @module
 */
import type { EdgeApp } from "./app.ts";
import { type EdgeAppOptions, type EdgeExecutionContext, reportSafely } from "./options.ts";
import { REPORTED } from "./_reported.ts";

/**
 * Wraps an app for `Deno.serve`. Deno's own `request.signal` also aborts after every successful
 * response (legacy behaviour), so it is not handed to the app as is: the request is rebuilt with
 * a signal that follows Deno's only until the app has produced its response. A client that
 * disconnects while the upstream is still thinking aborts the upstream call; once the response
 * streams, a disconnect cancels the response body, and that cancellation travels to the upstream
 * body. A response made for a client that left meanwhile is cancelled, and an empty 499 goes to
 * Deno in its place: nothing is printed. Deno prints its one-time notice about the legacy
 * `request.signal` behaviour on the first request; it needs no action (the app no longer sees
 * that signal once it has answered).
 *
 * Give `Deno.serve` the app's {@link denoOnError} too: a response body that fails after it began
 * (e.g. a JSON reply whose upstream connection broke mid-body, which the app reports itself) goes
 * to `Deno.serve`'s `onError`, whose default prints the whole error with its stack.
 *
 * `ctx` (optional) gets the work a response leaves running (token charges, cache writes) through
 * `waitUntil`, e.g. to wait for it before closing the Deno KV it writes to (`serveEdge()` does).
 *
 * @example Serve an app on a random local port
 * ```ts
 * import { createEdgeApp, denoHandler, denoOnError } from "@aoai/edge/edge";
 * const options = {
 *   upstream: { endpoint: "https://r.openai.azure.com", apiKey: "k" },
 *   clientKeys: ["client-key-1"],
 *   onError: (message: string) => console.error(`aoai-edge: ${message}`),
 * };
 * const server = Deno.serve(
 *   { hostname: "127.0.0.1", port: 0, onListen() {}, onError: denoOnError(options) },
 *   denoHandler(createEdgeApp(options)),
 * );
 * const res = await fetch(`http://127.0.0.1:${server.addr.port}/health`);
 * console.log(res.status); // 200
 * await res.body?.cancel();
 * await server.shutdown();
 * ```
 */
export function denoHandler(
  app: EdgeApp,
  ctx?: EdgeExecutionContext,
): (request: Request) => Promise<Response> {
  return async (request: Request): Promise<Response> => {
    const controller = new AbortController();
    const onAbort = () => controller.abort(request.signal.reason);
    if (request.signal.aborted) onAbort();
    else request.signal.addEventListener("abort", onAbort, { once: true });
    try {
      const response = await app.fetch(
        new Request(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: controller.signal,
        }),
        undefined,
        ctx,
      );
      // The client left while the app made its response (an upstream that answered anyway): its
      // body would fail at Deno's first read (the calls under this signal were aborted), and
      // Deno.serve hands a failing body to its onError, whose default prints the error's stack.
      // No one reads it: cancelled (what a disconnect once it streams does), and an empty 499.
      if (!controller.signal.aborted) return response;
      response.body?.cancel(controller.signal.reason).catch(() => {});
      return new Response(null, { status: 499 });
    } finally {
      request.signal.removeEventListener("abort", onAbort);
    }
  };
}

/**
 * `Deno.serve`'s `onError` for an app made with `options`: Deno (2.9) hands it a response body
 * that fails after it began and a handler that throws, and its default prints the whole error
 * with its stack, past the app's `onError`. A JSON reply whose upstream connection broke mid-body
 * the app has reported itself (`<route>: the upstream's reply broke before its end (<cause>)`):
 * nothing more. Another failure is reported through `options.onError`, as one line,
 * `response failed: <name>: <message>` (without one, on stderr as `aoai-edge: …`), with the
 * client keys, the upstreams' `apiKey`s and `secrets` (e.g. an Entra ID client secret) masked;
 * answers 500 (for a handler that threw). {@link denoHandler}'s example gives it to `Deno.serve`.
 *
 * @example The line a failed response gives, its client key masked
 * ```ts
 * import { denoOnError } from "@aoai/edge/edge";
 * const onError = denoOnError({
 *   upstream: { endpoint: "https://r.openai.azure.com", apiKey: "k" },
 *   clientKeys: ["client-key-1"],
 *   onError: (message) => console.log(message),
 * });
 * const res = onError(new TypeError("cut while serving client-key-1"));
 * // response failed: TypeError: cut while serving ***
 * console.log(res.status); // 500
 * ```
 */
export function denoOnError(
  options: Pick<EdgeAppOptions, "upstream" | "clientKeys" | "onError">,
  secrets: readonly string[] = [],
): (error: unknown) => Response {
  const { upstream, clientKeys, onError } = options;
  const hidden = [
    ...secrets,
    ...clientKeys.map((entry) => (typeof entry === "string" ? entry : entry.key).trim()),
    ...[upstream].flat().flatMap((u) => {
      const key = (u as { apiKey?: unknown }).apiKey;
      return typeof key === "string" ? [key.trim()] : [];
    }),
  ];
  // The app's own safe reporter (a throwing or rejecting onError is dropped), masking these.
  const report = reportSafely(
    onError ?? ((message) => console.error(`aoai-edge: ${message}`)),
    hidden,
  );
  return (err) => {
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    // A body the app failed once it reported its upstream's cut (one line per cut).
    if (!REPORTED.has(err as object)) report(`response failed: ${text.replace(/\s+/g, " ")}`);
    return new Response(null, { status: 500 });
  };
}
