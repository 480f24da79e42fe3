/**
 * Sending one validated request upstream through the core client, and relaying the upstream
 * response (status, body as a stream, the headers clients need).
 *
 * @module
 */
import { APIConnectionError, APITimeoutError, APIUserAbortError } from "../src/errors/api_error.ts";
import type { Middleware } from "../src/middleware/types.ts";
import { RAW_SCRUB } from "../src/_internal/core.ts";
import { errorResponse } from "./_errors.ts";
import type { ResolvedOptions } from "./options.ts";

/** One upstream call. */
export interface ForwardInit {
  /** Operation path, e.g. `chat/completions` or `operations/images/{id}`. */
  path: string;
  /** Deployment for deployment-scoped operations. */
  deployment?: string;
  method: "GET" | "POST" | "DELETE";
  json?: Record<string, unknown>;
  form?: FormData;
  /** The client asked for a stream: the body is passed through as it arrives. */
  stream: boolean;
  /** Operation id for middleware, e.g. `embeddings.create`. */
  operation: string;
  /** api-version to use upstream; default the client's. */
  apiVersion?: string;
  /** Per-call middleware (cache, state), outermost first. */
  middleware?: Middleware[];
}

const RELAYED = [
  "content-type",
  "retry-after",
  "retry-after-ms",
  "apim-request-id",
  "x-request-id",
  "x-ms-region",
  "x-ms-client-request-id",
  "x-aoai-cache",
  "openai-processing-ms",
];

/** Copies the upstream headers a client needs; rewrites `operation-location` to this app. */
export function relayHeaders(
  upstream: Response,
  request: Request,
  upstreamEndpoint: string,
): Headers {
  const headers = new Headers();
  for (const name of RELAYED) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  upstream.headers.forEach((value, name) => {
    if (name.startsWith("x-ratelimit-")) headers.set(name, value);
  });
  const location = upstream.headers.get("operation-location");
  if (location !== null) {
    const origin = new URL(request.url).origin;
    headers.set(
      "operation-location",
      location.startsWith(upstreamEndpoint)
        ? origin + location.slice(upstreamEndpoint.length)
        : location,
    );
  }
  if ((headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    headers.set("cache-control", "no-cache");
    headers.set("x-accel-buffering", "no");
  }
  return headers;
}

/**
 * Sends the call and returns the response to give the client: the upstream response relayed
 * (any status; bodies stream through untouched), 502 when the upstream cannot be reached, 504
 * on upstream timeout, 499 when the client went away.
 */
export async function forward(
  opts: ResolvedOptions,
  request: Request,
  init: ForwardInit,
): Promise<Response> {
  let upstream: Response;
  try {
    upstream = await opts.client.request(
      {
        path: init.path,
        deployment: init.deployment,
        method: init.method,
        json: init.json,
        body: init.form,
        stream: init.stream,
        accept: init.stream ? "text/event-stream" : undefined,
        operation: init.operation,
        params: init.json,
      },
      {
        signal: request.signal,
        apiVersion: init.apiVersion,
        maxRetries: opts.upstreamMaxRetries,
        middleware: init.middleware,
      },
    );
  } catch (err) {
    return failure(opts, init, err);
  }
  const headers = relayHeaders(upstream, request, opts.client.endpoint);
  let body: BodyInit | null;
  // An error may echo the upstream credential (a gateway reflecting request headers, say): it is
  // scrubbed, body and headers, with what the client knows of its credentials.
  const scrub = upstream.ok ? undefined : RAW_SCRUB.get(upstream);
  if (scrub) {
    try {
      body = scrub(await upstream.text()) as string;
    } catch (err) {
      return failure(opts, init, err);
    }
    headers.forEach((value, name) => headers.set(name, scrub(value) as string));
  } else body = upstream.body;
  return new Response(body, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers,
  });
}

function failure(opts: ResolvedOptions, init: ForwardInit, err: unknown): Response {
  const host = new URL(opts.client.endpoint).host;
  const detail = err instanceof Error ? err.message : String(err);
  if (err instanceof APIUserAbortError) {
    return errorResponse(499, { code: "ClientClosedRequest", message: "The client went away." });
  }
  if (err instanceof APITimeoutError) {
    opts.onError(`${init.operation}: upstream ${host} timed out`);
    return errorResponse(504, {
      code: "UpstreamTimeout",
      message: `The Azure OpenAI upstream (${host}) did not answer in time; retry later.`,
    });
  }
  if (err instanceof APIConnectionError) {
    opts.onError(`${init.operation}: upstream ${host} unreachable: ${detail}`);
    return errorResponse(502, {
      code: "UpstreamUnreachable",
      message: `The edge app could not reach the Azure OpenAI upstream (${host}); check ` +
        "AZURE_OPENAI_ENDPOINT and the network, then retry.",
    });
  }
  opts.onError(`${init.operation}: ${detail}`);
  return errorResponse(500, {
    code: "EdgeError",
    message: `The edge app failed while calling the upstream for ${init.operation}; see the ` +
      "server log.",
  });
}
