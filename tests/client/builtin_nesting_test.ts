import assert from "node:assert/strict";
import {
  apiKeyAuth,
  AzureOpenAI,
  type AzureOpenAIOptions,
  type Middleware,
  RateLimitError,
  retry,
  timeout,
} from "../../mod.ts";

// Where the client's and a call's built-ins (retry(), timeout(), auth) end up in the stack: the
// nesting a middleware list gives stays, a call's retry() replaces the client's default one and
// moves outward past the client's layers, alone, never past a layer of the call's own list.

const params = { model: "text-embedding-3-small", input: "hi" };
const noSleep = () => Promise.resolve();

/** A client whose every request is answered 429 (retry-after-ms 0), counting the requests. */
function throttled(options: Partial<AzureOpenAIOptions> = {}) {
  const sent = { count: 0 };
  const client = new AzureOpenAI({
    endpoint: "http://aoai.test",
    apiKey: "k",
    fetch: () => {
      sent.count++;
      return Promise.resolve(
        new Response('{"error":{"code":"429","message":"slow down"}}', {
          status: 429,
          headers: { "content-type": "application/json", "retry-after-ms": "0" },
        }),
      );
    },
    ...options,
  });
  return { client, sent };
}

/** A layer counting its passes under `key`. */
const counting = (passes: Record<string, number>, key: string): Middleware => (_ctx, next) => (
  passes[key] = (passes[key] ?? 0) + 1, next()
);

Deno.test("a call's retry() listed before its timeout() stays outside it: a layer between runs per attempt", async () => {
  const { client, sent } = throttled();
  const passes: Record<string, number> = {};
  const middleware = [
    retry({ maxRetries: 2, sleep: noSleep }),
    counting(passes, "between"),
    timeout({ timeoutMs: 60_000 }),
  ];
  await assert.rejects(client.embeddings.create(params, { middleware }), RateLimitError);
  assert.equal(sent.count, 3, "retry() sent three attempts");
  assert.deepEqual(passes, { between: 3 }, "the layer inside retry() ran once per attempt");
});

Deno.test("the client's timeout() listed before its retry() stays outside it: a layer between runs once per call", async () => {
  const passes: Record<string, number> = {};
  const { client, sent } = throttled({
    middleware: [
      timeout({ timeoutMs: 60_000 }),
      counting(passes, "between"),
      retry({ maxRetries: 2, sleep: noSleep }),
    ],
  });
  await assert.rejects(client.embeddings.create(params), RateLimitError);
  assert.equal(sent.count, 3, "retry() sent three attempts");
  assert.deepEqual(passes, { between: 1 }, "the layer outside retry() ran once");
});

Deno.test("a call's retry() on a client without middleware replaces the default retry: its attempts only", async () => {
  const { client, sent } = throttled();
  const middleware = [retry({ maxRetries: 1, sleep: noSleep })];
  await assert.rejects(client.embeddings.create(params, { middleware }), RateLimitError);
  assert.equal(sent.count, 2, "retry({ maxRetries: 1 }): two attempts, not 2 × 3");
});

Deno.test("a call's retry() moves outward only up to the call's own layers before it", async () => {
  const { client, sent } = throttled({ middleware: [timeout({ timeoutMs: 60_000 })] });
  const passes: Record<string, number> = {};
  const middleware = [
    counting(passes, "before"),
    retry({ maxRetries: 2, sleep: noSleep }),
    counting(passes, "after"),
  ];
  await assert.rejects(client.embeddings.create(params, { middleware }), RateLimitError);
  assert.equal(sent.count, 3, "retry() sent three attempts");
  assert.deepEqual(passes, { before: 1, after: 3 });
});

Deno.test("a call's retry() moving outward past the client's auth leaves the call's next layer inside auth", async () => {
  const seen: (string | null)[] = [];
  const after: Middleware = (ctx, next) => (seen.push(ctx.request.headers.get("api-key")), next());
  const client = new AzureOpenAI({
    endpoint: "http://aoai.test",
    middleware: [apiKeyAuth("the-key")],
    fetch: () => Promise.resolve(Response.json({ data: [], model: "m", object: "list" })),
  });
  await client.embeddings.create(params, { middleware: [retry({ sleep: noSleep }), after] });
  assert.deepEqual(seen, ["the-key"]);
});
