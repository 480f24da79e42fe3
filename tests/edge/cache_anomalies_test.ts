/**
 * The edge app's cache against odd 2xx upstream answers: a body cut mid-way, an error object in
 * a 200, a streamed completion that is cut or never ends with `[DONE]`. Nothing of them is
 * stored and the client gets what the upstream sent, as without a cache.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp, MemoryCache } from "../../edge/mod.ts";
import { azurePath, KEY, postJson, testApp } from "./_helpers.ts";

const EMBED = azurePath("text-embedding-3-small", "embeddings");
const CHAT = azurePath("gpt-4o", "chat/completions");
const ENCODER = new TextEncoder();

/** An app whose upstream answers with `answer`; records the upstream request bodies. */
function craftedApp(answer: (body: Record<string, unknown>) => Response, cached = true) {
  const sent: Record<string, unknown>[] = [];
  const store = new MemoryCache();
  const errors: string[] = [];
  const upstream = new AzureOpenAI({
    endpoint: "http://upstream.local",
    apiKey: "upstream-key-0001",
    maxRetries: 0,
    fetch: async (req) => {
      const body = await new Request(req).json();
      sent.push(body);
      return answer(body);
    },
  });
  const app = createEdgeApp({
    clientKeys: [KEY],
    upstream,
    onError: (message) => errors.push(message),
    ...(cached ? { cache: store, chatCache: true } : {}),
  });
  const call = (path: string, json: unknown) =>
    app.fetch(
      postJson(path, json),
    );
  return { call, sent, store, errors };
}

/** A body that sends `first`, then loses the connection. */
function cut(first: string, contentType = "application/json"): Response {
  return new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(ENCODER.encode(first));
        controller.error(new TypeError("connection reset by peer"));
      },
    }),
    { headers: { "content-type": contentType } },
  );
}

async function outcome(res: Response): Promise<string> {
  try {
    return `${res.status} ${await res.text()}`;
  } catch {
    return `${res.status} (body cut)`;
  }
}

Deno.test("app relays an embeddings body cut mid-way as it does without a cache, storing nothing", async () => {
  const answer = () => cut('{"object":"list","data":[{"index":0,');
  const plain = craftedApp(answer, false);
  const cached = craftedApp(answer);
  const without = await outcome(await plain.call(EMBED, { input: ["a", "b"] }));
  const res = await cached.call(EMBED, { input: ["a", "b"] });
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
  assert.equal(await outcome(res), without, "the same answer as without a cache");
  assert.equal(without, "200 (body cut)");
  assert.equal(cached.store.size, 0);
});

Deno.test("app passes a 200 error object to an embeddings full miss through, one upstream call", async () => {
  const error = { error: { code: "Throttled", message: "gateway says no" } };
  const t = craftedApp(() => Response.json(error));
  // The client sent no encoding_format: the cache asked base64, the error does not depend on it.
  const res = await t.call(EMBED, { input: ["a", "b"] });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
  assert.deepEqual(await res.json(), error);
  assert.equal(t.sent.length, 1);
  assert.equal(t.store.size, 0);
});

const DETERMINISTIC = { messages: [{ role: "user", content: "cache me please" }], temperature: 0 };

Deno.test("app does not store a streamed deterministic miss cut at max_tokens (finish_reason length)", async () => {
  const t = testApp({ cache: new MemoryCache(), chatCache: true });
  const body = { ...DETERMINISTIC, max_tokens: 2 };
  const streamed = await t.call(CHAT, { json: { ...body, stream: true } });
  assert.equal(streamed.headers.get("x-aoai-cache"), "miss");
  assert.match(await streamed.text(), /"finish_reason":"length"/);
  const next = await t.call(CHAT, { json: body });
  assert.equal(next.headers.get("x-aoai-cache"), "miss");
  assert.equal((await next.json()).choices[0].finish_reason, "length");
  assert.equal(t.upstream.length, 2);
});

const chunk = (delta: Record<string, unknown>, finish: string | null) =>
  `data: ${
    JSON.stringify({
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 1,
      model: "gpt-4o",
      choices: [{ index: 0, delta, finish_reason: finish }],
    })
  }\n\n`;
const SSE = "text/event-stream";

for (
  const [name, answer] of [
    ["ends without [DONE]", () =>
      new Response(
        chunk({ role: "assistant", content: "Hel" }, null) + chunk({ content: "lo" }, "stop"),
        { headers: { "content-type": SSE } },
      )],
    ["is cut mid-way", () => cut(chunk({ role: "assistant", content: "Hel" }, null), SSE)],
    ["carries an error event, then [DONE]", () =>
      new Response(
        chunk({ role: "assistant", content: "Hel" }, null) +
          `data: ${JSON.stringify({ error: { code: "server_error", message: "boom" } })}\n\n` +
          "data: [DONE]\n\n",
        { headers: { "content-type": SSE } },
      )],
  ] as const
) {
  Deno.test(`app does not store a streamed deterministic miss that ${name}`, async () => {
    const t = craftedApp(answer);
    const res = await t.call(CHAT, { ...DETERMINISTIC, stream: true });
    assert.equal(res.headers.get("x-aoai-cache"), "miss");
    await outcome(res);
    assert.equal(t.store.size, 0);
    const next = await t.call(CHAT, { ...DETERMINISTIC, stream: true });
    assert.equal(next.headers.get("x-aoai-cache"), "miss");
    await outcome(next);
    assert.equal(t.sent.length, 2);
  });
}
