/**
 * Helpers of the edge stream tests: an upstream client whose answers are event streams made by
 * the test (and how such a stream ends), a client of this package in front of an app, and a wait
 * for the work left after a body.
 *
 * @module
 */
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp, type EdgeApp, type EdgeRequestEvent } from "../../edge/mod.ts";
import { KEY } from "./_helpers.ts";

/** An upstream client (no retries) answering every request 200 with `body()`, an event stream. */
export function streamingUpstream(
  apiKey: string,
  body: () => ReadableStream<Uint8Array>,
): AzureOpenAI {
  return new AzureOpenAI({
    endpoint: "http://upstream.test",
    apiKey,
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(
        new Response(body(), { headers: { "content-type": "text/event-stream" } }),
      ),
  });
}

/** A body that sends `sent`, then, asked for more once it was read, closes or fails with `end`. */
export function sentThen(sent: string, end: "close" | Error): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(sent);
  return new ReadableStream({
    start(c) {
      c.enqueue(bytes);
    },
    pull(c) {
      if (c.desiredSize! <= 0) return;
      if (end === "close") c.close();
      else c.error(end);
    },
  });
}

/** An app in front of `upstream` with its onError lines and (`withEvents`) its onRequest events. */
export function reportingApp(upstream: AzureOpenAI, withEvents: boolean) {
  const errors: string[] = [];
  const events: EdgeRequestEvent[] = [];
  const app = createEdgeApp({
    upstream,
    clientKeys: [KEY],
    onRequest: withEvents ? (e) => void events.push(e) : undefined,
    onError: (message) => void errors.push(message),
  });
  return { app, errors, events };
}

/** A client of this package (no retries) whose requests go to `app` with the test client key. */
export function clientOf(app: EdgeApp): AzureOpenAI {
  return new AzureOpenAI({
    endpoint: "http://edge.test",
    apiKey: KEY,
    maxRetries: 0,
    fetch: (req) => app.fetch(req),
  });
}

/** Waits a few ticks (50 at most) until `done()`: the work left after a body (onRequest's event). */
export async function settle(done: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !done(); i++) await new Promise((r) => setTimeout(r, 2));
}
