/**
 * Run by tests/edge/deno_disconnect_log_test.ts in a subprocess (its stderr is the point): the
 * edge app under `Deno.serve` (no `onError` of its own, as `serveEdge()`) and `denoHandler()`, and
 * one client whose request leaves while the app waits for its upstream, an upstream that answers
 * (200) only after it saw that abort (as one whose answer was on its way does). The app then has
 * a response for a client that is gone. Mode (first argument): `stream` or `json`, the client's
 * call; or `cut`: a client that stays, and a stream the upstream breaks inside an event (a real
 * error, which must still reach the log). Prints on stdout what happened upstream; stops by
 * itself (bounded waits).
 */
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp, denoHandler } from "../../edge/mod.ts";

const KEY = "disconnect-log-key-0001";
const mode = Deno.args[0];
const stream = mode !== "json";
const cut = mode === "cut";
const encoder = new TextEncoder();
const EVENT = 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",' +
  '"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}\n\n';
const JSON_REPLY = JSON.stringify({
  id: "c",
  object: "chat.completion",
  created: 1,
  model: "m",
  choices: [{ index: 0, message: { role: "assistant", content: "x" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

let called!: () => void;
const upstreamCalled = new Promise<void>((resolve) => called = resolve);
let ended!: (how: string) => void;
const upstreamBodyEnded = new Promise<string>((resolve) => ended = resolve);
const bounded = <T>(p: Promise<T>, ms: number, fallback: T) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<T>((resolve) => timer = setTimeout(() => resolve(fallback), ms)),
  ]).finally(() => clearTimeout(timer));
};

const app = createEdgeApp({
  upstream: new AzureOpenAI({
    endpoint: "http://upstream.test",
    apiKey: "azure-secret-0001",
    maxRetries: 0,
    fetch: (req: Request, init?: RequestInit) => {
      const signal = (init?.signal ?? req.signal)!;
      called();
      // Answers once the call was aborted (bounded: after 5 s in any case), ignoring the abort.
      return bounded(
        new Promise<void>((resolve) =>
          cut ? resolve() : signal.addEventListener("abort", () => resolve())
        ),
        5000,
        undefined,
      ).then(() => {
        console.log(`upstream answered, aborted: ${signal.aborted}`);
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(c) {
            if (!stream) {
              c.enqueue(encoder.encode(JSON_REPLY));
              c.close();
              return ended("read to its end");
            }
            // A few events, then nothing (until cancelled); cut: half an event, then a reset.
            if (sent++ < 3) c.enqueue(encoder.encode(EVENT));
            else if (cut && sent === 5) {
              c.error(new TypeError("upstream connection reset"));
              ended("errored");
            } else if (cut) c.enqueue(encoder.encode(EVENT.slice(0, 20)));
            else return new Promise(() => {});
          },
          cancel: () => ended("cancelled"),
        }, { highWaterMark: 0 });
        return new Response(body, {
          headers: { "content-type": stream ? "text/event-stream" : "application/json" },
        });
      });
    },
  }),
  clientKeys: [KEY],
  // The app's own log line (one line each; none expected here).
  onError: (message) => console.log(`onError: ${message}`),
});

const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen() {} },
  denoHandler(app),
);
const client = new AbortController();
const pending = fetch(
  `http://127.0.0.1:${server.addr.port}/openai/deployments/gpt-4o/chat/completions` +
    "?api-version=2024-10-21",
  {
    method: "POST",
    headers: { "api-key": KEY, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], stream }),
    signal: client.signal,
  },
).then(async (res) => void (cut ? await res.text() : await res.body?.cancel())).catch(() => {});
await bounded(upstreamCalled, 5000, undefined);
if (!cut) client.abort();
await pending;
console.log(`upstream body: ${await bounded(upstreamBodyEnded, 2000, "left open")}`);
// A few turns of the event loop for what Deno does with the response once the handler answered.
for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 5));
await server.shutdown();
console.log("done");
