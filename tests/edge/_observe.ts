/**
 * Drives edge/_events.ts's `observeResponse()` alone: a response observed for one request, the
 * event it delivers, the tokens it charges and the errors it reports.
 *
 * @module
 */
import { type EventSource, observeResponse, type RequestRecord } from "../../edge/_events.ts";
import type { EdgeRequestEvent, EdgeRequestRoute } from "../../edge/options.ts";

/** What one observed response delivered. */
export interface Delivered {
  event: EdgeRequestEvent;
  /** Tokens charged (one entry per charge), when `charges` was on. */
  charged: number[];
  /** `onError` messages. */
  errors: string[];
}

/** Options of {@link observe}: the event source's parts, with defaults. */
export interface ObserveOptions {
  route?: EdgeRequestRoute;
  record?: RequestRecord;
  /** With a token limit: charge a store (recorded in `charged`). */
  charges?: boolean;
  /** The client's request (default: a POST that is not aborted). */
  request?: Request;
  /** The clock (default: always 1000, the start). */
  now?: () => number;
  start?: number;
  client?: Promise<string> | undefined;
  clientName?: string;
}

/**
 * Observes `response` as the app does; returns the response to read and the delivery (resolved
 * once the event was delivered and the charges made).
 */
export function observe(
  response: Response,
  options: ObserveOptions = {},
): { response: Response; delivered: Promise<Delivered> } {
  const events: EdgeRequestEvent[] = [];
  const charged: number[] = [];
  const errors: string[] = [];
  let settled!: Promise<unknown>;
  const source: EventSource = {
    start: options.start ?? 1000,
    now: options.now ?? (() => 1000),
    method: "POST",
    route: options.route ?? "chat",
    record: options.record ?? {},
    client: "client" in options ? options.client : Promise.resolve("client-id"),
    clientName: options.clientName,
    onRequest: (event) => void events.push(event),
    charges: options.charges
      ? [{ what: "token limiter", charge: (_client, tokens) => void charged.push(tokens) }]
      : undefined,
    onError: (message) => void errors.push(message),
    waitUntil: (promise) => void (settled = promise),
  };
  const observed = observeResponse(
    response,
    options.request ?? new Request("http://edge.test/x", { method: "POST" }),
    source,
  );
  const delivered = (async () => {
    await settled;
    if (events.length !== 1) throw new Error(`${events.length} events delivered`);
    return { event: events[0], charged, errors };
  })();
  return { response: observed, delivered };
}

/** A response whose body is `chunks`, one per read, with `content-type` `type`. */
export function chunked(
  chunks: Array<string | Uint8Array>,
  type: string,
  init: ResponseInit = {},
): Response {
  const encoder = new TextEncoder();
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i === chunks.length) return controller.close();
      const chunk = chunks[i++];
      controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
    },
  }, { highWaterMark: 0 });
  const headers = new Headers(init.headers);
  headers.set("content-type", type);
  return new Response(body, { ...init, headers });
}
