/**
 * A layer that replaces the request with one whose body it streams: retry() and tokenAuth() read
 * that body to send it again; the caller's abort ends the wait for a body that stalls.
 */
import assert from "node:assert/strict";
import {
  APIUserAbortError,
  AzureOpenAI,
  type AzureOpenAIOptions,
  type Middleware,
} from "../../mod.ts";

/** A client whose layer streams the request body, one chunk and then nothing until `end()`. */
function stalledUpload(options: Partial<AzureOpenAIOptions>) {
  let body!: ReadableStreamDefaultController<Uint8Array>;
  let sent = 0;
  const streamIt: Middleware = (ctx, next) => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        body = c;
        c.enqueue(new TextEncoder().encode('{"input":'));
      },
    });
    const init = { method: "POST", headers: ctx.request.headers, body: stream, duplex: "half" };
    ctx.request = new Request(ctx.request.url, init as RequestInit);
    return next();
  };
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: "k-0123456789",
    fetch: () => (sent++, Promise.resolve(Response.json({ object: "list", data: [] }))),
    ...options,
    middleware: [streamIt],
  } as AzureOpenAIOptions);
  return { client, end: () => body.close(), sent: () => sent };
}

/** Aborts a call that waits on its stalled body; what it settled with within 20 event-loop turns. */
async function abortWhileStalled(setup: ReturnType<typeof stalledUpload>): Promise<unknown> {
  const controller = new AbortController();
  const call = setup.client.embeddings.create({ model: "e", input: "x" }, {
    signal: controller.signal,
  }).then(() => "answered", (err) => err);
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
  controller.abort();
  const turns = (async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
    return "still waiting on the body";
  })();
  const outcome = await Promise.race([call, turns]);
  setup.end();
  await call;
  return outcome;
}

Deno.test("retry(): the caller's abort ends the wait for a layer's streamed request body that stalls", async () => {
  const setup = stalledUpload({});
  const outcome = await abortWhileStalled(setup);
  assert.ok(outcome instanceof APIUserAbortError, String(outcome));
  assert.equal(setup.sent(), 0);
});

Deno.test("tokenAuth(): the caller's abort ends the wait for a layer's streamed request body that stalls", async () => {
  const setup = stalledUpload({ apiKey: undefined, tokenProvider: () => "tok", maxRetries: 0 });
  const outcome = await abortWhileStalled(setup);
  assert.ok(outcome instanceof APIUserAbortError, String(outcome));
  assert.equal(setup.sent(), 0);
});
