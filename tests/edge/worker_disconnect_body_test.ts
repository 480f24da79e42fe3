/**
 * The Worker, for a client that left (request.signal aborted, as workerd does with the
 * `enable_request_signal` flag) while the app waited for an upstream that answered anyway: the
 * response it hands workerd has no body that fails (workerd reports a failing response body in
 * the logs as an uncaught error), and the upstream's body is cancelled.
 */
import assert from "node:assert/strict";
import worker, { type WorkerEnv } from "../../edge/worker.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";

const ctx: EdgeExecutionContext = { waitUntil: () => {} };
const KEY = "client-key-worker-disconnect";
const env: WorkerEnv = {
  AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
  AZURE_OPENAI_API_KEY: "azure-secret-key-worker-disconnect",
  AOAI_EDGE_KEYS: KEY,
};
const EVENT = 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",' +
  '"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}\n\n';

Deno.test("the Worker hands workerd no failing body for a client gone before the upstream answered", async () => {
  let called!: () => void;
  const upstreamCalled = new Promise<void>((resolve) => called = resolve);
  let cancelled = false;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const signal = (init?.signal ?? (input as Request).signal)!;
    called();
    // Answers once the call was aborted, ignoring the abort (bounded: 5 s at most).
    return new Promise<Response>((resolve) => {
      const answer = () => {
        clearTimeout(timer);
        resolve(
          new Response(
            new ReadableStream<Uint8Array>({
              pull: (c) => c.enqueue(new TextEncoder().encode(EVENT)),
              cancel: () => void (cancelled = true),
            }, { highWaterMark: 0 }),
            { headers: { "content-type": "text/event-stream" } },
          ),
        );
      };
      const timer = setTimeout(answer, 5000);
      signal.addEventListener("abort", answer, { once: true });
    });
  };
  try {
    const client = new AbortController();
    const pending = worker.fetch(
      new Request("https://edge.example/v1/chat/completions", {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({
          model: "gpt-4o",
          stream: true,
          messages: [{ role: "user", content: "hi" }],
        }),
        signal: client.signal,
      }),
      env,
      ctx,
    );
    await upstreamCalled;
    client.abort();
    const response = await pending;
    assert.equal(response.status, 499, "answered as a client gone, not as a failure");
    // What workerd does with it: reads it (to a connection that is gone).
    const read = await response.text().then(() => "read", (err) => `failed: ${err}`);
    assert.equal(read, "read");
    assert.ok(cancelled, "the upstream's body is cancelled");
  } finally {
    globalThis.fetch = realFetch;
  }
});

Deno.test("the Worker answers 499 for a client gone while it made a bodiless answer (HEAD)", async () => {
  const client = new AbortController();
  client.abort();
  const errors: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void errors.push(args.join(" "));
  let response: Response;
  try {
    response = await worker.fetch(
      new Request("https://edge.example/health", { method: "HEAD", signal: client.signal }),
      env,
      ctx,
    );
  } finally {
    console.error = original;
  }
  assert.equal(response.status, 499);
  assert.equal(response.body, null);
  assert.deepEqual(errors, []);
});
