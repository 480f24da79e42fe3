// A streamed call whose error response sends its headers and then stalls its body: reading the
// error body must still end when the caller aborts or the call's timeoutMs passes.
import assert from "node:assert/strict";
import { AzureOpenAI, AzureOpenAIError, BadRequestError } from "../../mod.ts";
import { startServer } from "../helpers/server.ts";

/** A 400 whose JSON body never finishes (closed only when the client goes away). */
function stalledError(raw: Request): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"error":{"code":"Bad'));
      raw.signal.addEventListener("abort", () => controller.close(), { once: true });
    },
  });
  return new Response(body, { status: 400, headers: { "content-type": "application/json" } });
}

/** Settles like `promise`, or rejects after a generous guard instead of hanging the suite. */
async function settled<T>(promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the call hung on the stalled error body")), 10_000);
  });
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("chat.completions.create() stream rejects when the caller aborts during a stalled error body", async () => {
  await using server = await startServer((_req, raw) => stalledError(raw));
  const headers = Promise.withResolvers<void>();
  const client = new AzureOpenAI({
    endpoint: server.url,
    apiKey: "sk-stalled-error-body",
    deployment: "gpt-4o",
    maxRetries: 0,
    fetch: async (request, init) => {
      const response = await fetch(request, init);
      headers.resolve();
      return response;
    },
  });
  const controller = new AbortController();
  const call = client.chat.completions.create(
    { messages: [{ role: "user", content: "hi" }], stream: true },
    { signal: controller.signal },
  );
  // Abort once the error's headers arrived: the client is reading its body.
  await headers.promise;
  await new Promise((resolve) => setTimeout(resolve, 0)); // let the client start reading it
  controller.abort();
  const err = await settled(call.then(() => assert.fail("expected a rejection"), (e) => e));
  assert.ok(err instanceof AzureOpenAIError, `got ${err}`);
});

Deno.test("chat.completions.create() stream rejects when timeoutMs passes during a stalled error body", async () => {
  await using server = await startServer((_req, raw) => stalledError(raw));
  const client = new AzureOpenAI({
    endpoint: server.url,
    apiKey: "sk-stalled-error-body",
    deployment: "gpt-4o",
    maxRetries: 0,
  });
  const call = client.chat.completions.create(
    { messages: [{ role: "user", content: "hi" }], stream: true },
    { timeoutMs: 500 },
  );
  const err = await settled(call.then(() => assert.fail("expected a rejection"), (e) => e));
  assert.ok(err instanceof BadRequestError, `got ${err}`);
  assert.equal(err.status, 400);
});
