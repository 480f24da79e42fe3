import assert from "node:assert/strict";
import { APIConnectionError, AzureOpenAI } from "../../mod.ts";
import { type LogEvent, logger } from "../../src/middleware/logger.ts";

const KEY = "0123456789abcdef0123456789abcdef";

/** A client whose fetch answers with `answer(request, attempt)` and records each request. */
function clientWith(
  answer: (req: Request) => Response | Promise<Response>,
  options: { streamIdleTimeoutMs?: number } = {},
) {
  const seen: { url: string; body: string }[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: KEY,
    ...options,
    fetch: async (req) => {
      seen.push({ url: req.url, body: await req.text() });
      return answer(req);
    },
  });
  return { client, seen };
}

Deno.test("request() without stream sets no streamIdleTimeoutMs on its body: a slow chunk still arrives", async () => {
  const { client } = clientWith(() =>
    new Response(
      new ReadableStream({
        async pull(c) {
          await new Promise((ok) => setTimeout(ok, 10));
          c.enqueue(new TextEncoder().encode("late"));
          c.close();
        },
      }, { highWaterMark: 0 }),
    ), { streamIdleTimeoutMs: 1 });
  const res = await client.request({ path: "models" });
  assert.equal(await res.text(), "late");
});

Deno.test("request(): a JSON body is replayable (logBodies logs it), a stream body is not (left unread)", async () => {
  for (const body of ["json", "stream"] as const) {
    const events: LogEvent[] = [];
    const client = new AzureOpenAI({
      endpoint: "https://res.openai.azure.com",
      apiKey: KEY,
      fetch: async (req) => (await req.text(), Response.json({})),
      middleware: [logger({ onEvent: (e) => events.push(e), logBodies: true })],
    });
    await client.request({
      path: "chat/completions",
      deployment: "d",
      ...body == "json"
        ? { json: { a: 1 } }
        : { body: new Blob(['{"b":2}']).stream(), contentType: "application/json" },
    });
    const start = events.find((e) => e.type === "start")!;
    assert.equal(start.requestBody, body == "json" ? '{"a":1}' : undefined, body);
  }
});

Deno.test("request(): init.operation names the call in its errors, else `request <path>`", async () => {
  const cut = () => Promise.reject(new TypeError("connection reset"));
  for (const [operation, named] of [["my.op", "my.op"], [undefined, "request models"]]) {
    const client = new AzureOpenAI({
      endpoint: "https://res.openai.azure.com",
      apiKey: KEY,
      maxRetries: 0,
      fetch: cut,
    });
    await assert.rejects(
      client.request({ path: "models", operation }),
      (err) => err instanceof APIConnectionError && err.message.includes(named!),
    );
  }
});

Deno.test("request(): params default to the JSON body; init.params wins; no deployment is a resource path", async () => {
  const seen: unknown[] = [];
  const { client, seen: sent } = clientWith(() => Response.json({}));
  const spy = client.withOptions({
    middleware: [(ctx, next) => (seen.push(ctx.params), next())],
  });
  await spy.request({ path: "models", json: { a: 1 } });
  await spy.request({ path: "models", json: { a: 1 }, params: { p: 2 } });
  assert.deepEqual(seen, [{ a: 1 }, { p: 2 }]);
  assert.equal(sent[0].url, "https://res.openai.azure.com/openai/models?api-version=2024-10-21");
});
