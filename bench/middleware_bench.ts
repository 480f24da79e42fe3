/**
 * Middleware overhead.
 *
 * - group `compose`: `compose()` with 0, 1, 10 and 100 no-op layers around a terminal that
 *   returns a ready Response, against calling the terminal directly. Per-layer cost =
 *   (time with 100 layers − time with 0 layers) / 100.
 * - group `request`: one small chat-completions POST against a local server (a Worker thread)
 *   through `client.request()` with the default stack (retry, timeout, auth), against the same
 *   client with the default retry and timeout replaced by pass-through layers (auth kept, so the
 *   request is identical), and raw `fetch` of the same request. Target: default ≤ 1.05× no-op.
 *
 * - group `cache hit`: `cache()` over a `MemoryCache` answering a fully cached embeddings batch
 *   of 100 inputs × 1536 dimensions (no upstream call), as base64 and as float JSON.
 *
 * Run: `deno bench -A bench/middleware_bench.ts`
 *
 * @module
 */
import { AzureOpenAI } from "../src/client.ts";
import { apiKeyAuth } from "../src/auth/auth_middleware.ts";
import { cache } from "../src/middleware/cache.ts";
import { compose } from "../src/middleware/compose.ts";
import { MemoryCache } from "../src/cache/memory_cache.ts";
import { tagBuiltin } from "../src/middleware/_kind.ts";
import type { Middleware, MiddlewareContext, Terminal } from "../src/middleware/types.ts";

// --- compose ---------------------------------------------------------------------------------

const ready = new Response(null);
const terminal: Terminal = () => Promise.resolve(ready);
const noop: Middleware = (_ctx, next) => next();
const ctx = {
  request: new Request("http://127.0.0.1/"),
  operation: "bench",
  deployment: undefined,
  apiVersion: "2024-10-21",
  params: undefined,
  attempt: 1,
  signal: undefined,
  stream: false,
  replayable: true,
  options: { timeoutMs: 0, maxRetries: 0 },
  state: {},
} satisfies MiddlewareContext;

const stacks = new Map([0, 1, 10, 100].map((n) => [n, compose(Array(n).fill(noop), terminal)]));

Deno.bench("terminal called directly", { group: "compose", baseline: true }, async () => {
  await terminal(ctx);
});
for (const [n, run] of stacks) {
  Deno.bench(`compose ${n} no-op layers`, { group: "compose" }, async () => {
    await run(ctx);
  });
}

// --- request ---------------------------------------------------------------------------------

const KEY = "bench-key-0123456789";
const worker = new Worker(new URL("./middleware_server.ts", import.meta.url), { type: "module" });
const port = await new Promise<number>((resolve) => {
  worker.onmessage = (e: MessageEvent<{ port: number }>) => resolve(e.data.port);
  worker.postMessage(null);
});
const endpoint = `http://127.0.0.1:${port}`;
const json = { messages: [{ role: "user", content: "hi" }], max_tokens: 5 };
const init = { path: "chat/completions", deployment: "gpt-4o", json };

const withDefaults = new AzureOpenAI({ endpoint, apiKey: KEY });
const passRetry = tagBuiltin(((_c, next) => next()) as Middleware, "retry");
const passTimeout = tagBuiltin(((_c, next) => next()) as Middleware, "timeout");
const withoutMiddleware = new AzureOpenAI({
  endpoint,
  apiKey: KEY,
  middleware: [passRetry, passTimeout, apiKeyAuth(KEY)],
});

const N = { n: 3000, warmup: 300 };

Deno.bench("raw fetch (same request)", { group: "request", ...N }, async () => {
  const res = await fetch(
    `${endpoint}/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21`,
    {
      method: "POST",
      headers: { "api-key": KEY, accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify(json),
    },
  );
  await res.text();
});
Deno.bench("client.request() without middleware", {
  group: "request",
  baseline: true,
  ...N,
}, async () => {
  await (await withoutMiddleware.request(init)).text();
});
Deno.bench("client.request() default stack (retry, timeout, auth)", {
  group: "request",
  ...N,
}, async () => {
  await (await withDefaults.request(init)).text();
});

// --- cache hit -------------------------------------------------------------------------------

const DIMS = 1536;
const inputs = Array.from({ length: 100 }, (_, i) => `input number ${i}`);
const embeddingsUpstream: Terminal = async (c) => {
  const body = await c.request.json() as { input: string[] };
  const data = body.input.map((_, index) => ({
    object: "embedding",
    index,
    embedding: Array.from({ length: DIMS }, (_, j) => Math.sin(index * DIMS + j)),
  }));
  return Response.json({ object: "list", data, model: "m", usage: { prompt_tokens: 1 } });
};
const cached = compose([cache({ store: new MemoryCache() })], embeddingsUpstream);
const embeddingsCall = (format: string) =>
  cached({
    ...ctx,
    operation: "embeddings.create",
    state: {},
    request: new Request(
      "http://127.0.0.1/openai/deployments/emb/embeddings?api-version=2024-10-21",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ input: inputs, encoding_format: format }),
      },
    ),
  });
await (await embeddingsCall("float")).text(); // fill the cache
for (const format of ["base64", "float"]) {
  Deno.bench(`cache() hit, 100 inputs x ${DIMS} dims, ${format}`, {
    group: "cache hit",
    n: 200,
  }, async () => {
    const res = await embeddingsCall(format);
    if (res.headers.get("x-aoai-cache") !== "hit") throw new Error("expected a cache hit");
    await res.text();
  });
}

globalThis.addEventListener("unload", () => worker.terminate());
