/**
 * Helpers of the token budget tests: an app whose upstream holds its replies, and chat requests
 * of a known size.
 *
 * @module
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp, type EdgeApp, type EdgeAppOptions } from "../../edge/mod.ts";
import { azurePath, KEY } from "./_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
/** The usage of every reply of {@link heldApp}. */
export const USAGE = { prompt_tokens: 6, completion_tokens: 4, total_tokens: 10 };
const COMPLETION = {
  id: "c",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: "Yes." }, finish_reason: "stop" }],
  usage: USAGE,
};

/** A chat body of exactly `chars` characters (ASCII: as many bytes). */
export function bodyOf(chars: number): string {
  const empty = JSON.stringify({ messages: [{ role: "user", content: "" }] });
  const content = "x".repeat(chars - empty.length);
  const body = JSON.stringify({ messages: [{ role: "user", content }] });
  assert.equal(body.length, chars);
  return body;
}

/**
 * A client's chat request to the app, with the client key and, as an HTTP client sends it, the
 * body's length (`length: false`: none, as for a chunked body).
 */
export function ask(body: string, signal?: AbortSignal, length = true): Request {
  const headers = new Headers({ "api-key": KEY, "content-type": "application/json" });
  if (length) headers.set("content-length", String(new TextEncoder().encode(body).length));
  return new Request(`http://edge.test${CHAT}`, {
    method: "POST",
    headers,
    body,
    signal,
  });
}

/**
 * A chat request with a chunked body (no content-length) that the test sends when it likes:
 * `reading` resolves once the app waits for the body (it passed the checks before it).
 */
export function chunked(body: string): {
  request: Request;
  reading: Promise<void>;
  send: () => void;
} {
  let started!: () => void;
  const reading = new Promise<void>((resolve) => started = resolve);
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    pull() {
      started();
    },
  }, { highWaterMark: 0 }); // pulled only once someone reads
  const request = new Request(`http://edge.test${CHAT}`, {
    method: "POST",
    headers: { "api-key": KEY, "content-type": "application/json" },
    body: stream,
  });
  assert.equal(request.headers.get("content-length"), null);
  const send = () => {
    controller.enqueue(new TextEncoder().encode(body));
    controller.close();
  };
  return { request, reading, send };
}

/** Lets the app's delivery run (a bounded number of task turns, no time threshold). */
export async function turns(n = 10): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** An app whose upstream holds its replies, the calls it saw, and a way to answer them. */
export interface HeldApp {
  app: EdgeApp;
  /** Upstream calls made, those cut by their signal, and a hook run on each call. */
  state: { calls: number; aborted: number; onCall: () => void };
  /** Answers every held call (a chat reply with {@link USAGE}). */
  open(): void;
}

/**
 * An app whose upstream holds every reply until `open()` (or until its signal aborts), and
 * counts the calls that reached it.
 */
export function heldApp(options: Partial<EdgeAppOptions>): HeldApp {
  const held: Array<() => void> = [];
  const state = { calls: 0, aborted: 0, onCall: () => {} };
  const fetch = (req: Request, init?: RequestInit) => {
    const signal = init?.signal ?? req.signal;
    // As fetch does: an aborted signal is refused at once, and nothing is sent.
    if (signal?.aborted) return Promise.reject(signal.reason);
    state.calls++;
    return new Promise<Response>((resolve, reject) => {
      held.push(() => resolve(Response.json(COMPLETION)));
      signal?.addEventListener("abort", () => {
        state.aborted++;
        reject(signal.reason);
      });
      state.onCall();
    });
  };
  const app = createEdgeApp({
    upstream: new AzureOpenAI({ endpoint: "http://upstream.test", apiKey: "azure-key", fetch }),
    clientKeys: [KEY],
    ...options,
  });
  return { app, state, open: () => held.splice(0).forEach((answer) => answer()) };
}
