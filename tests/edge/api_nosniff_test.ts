// Every answer of the app says x-content-type-options: nosniff, not only the playground page: a
// JSON or SSE answer (which may quote what a client or the upstream sent) is never sniffed and
// rendered as HTML by a browser that opens it.
import assert from "node:assert/strict";
import { createEdgeApp } from "../../edge/mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import worker from "../../edge/worker.ts";

const KEY = "a-long-client-key-0001";

Deno.test("the app's JSON and SSE answers, errors included, carry x-content-type-options: nosniff", async () => {
  const emulator = createEmulator();
  const app = createEdgeApp({
    upstream: {
      endpoint: "http://emulator.local",
      apiKey: emulator.apiKey,
      fetch: (request, init) => emulator.fetch(request, init),
    },
    clientKeys: [KEY],
  });
  const post = (path: string, body: unknown, key = KEY) =>
    new Request(`http://edge.test${path}`, {
      method: "POST",
      headers: { "api-key": key, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const messages = [{ role: "user", content: "<b>hi</b>" }];
  const cases: [string, Request][] = [
    ["chat", post("/v1/chat/completions", { model: "gpt-4o", messages })],
    ["chat stream", post("/v1/chat/completions", { model: "gpt-4o", messages, stream: true })],
    ["embeddings", post("/v1/embeddings", { model: "text-embedding-3-small", input: "a" })],
    ["bad deployment", post("/v1/chat/completions", { model: "<b>nope</b>", messages })],
    ["wrong key", post("/v1/embeddings", {}, "wrong-key-0000000000")],
    ["unknown path", new Request("http://edge.test/<b>x</b>")],
    ["health", new Request("http://edge.test/health")],
  ];
  const seen: Record<string, string> = {};
  for (const [name, request] of cases) {
    const res = await app.fetch(request);
    await res.body?.cancel();
    seen[name] = `${res.status} ${res.headers.get("x-content-type-options")}`;
  }
  assert.deepEqual(seen, {
    "chat": "200 nosniff",
    "chat stream": "200 nosniff",
    "embeddings": "200 nosniff",
    "bad deployment": "400 nosniff",
    "wrong key": "401 nosniff",
    "unknown path": "401 nosniff",
    "health": "200 nosniff",
  });
});

Deno.test("a CORS preflight and the Worker's own 500 carry nosniff too", async () => {
  const app = createEdgeApp({
    upstream: { endpoint: "http://emulator.local", apiKey: "k" },
    clientKeys: [KEY],
    cors: { origins: ["https://app.example"] },
  });
  const preflight = await app.fetch(
    new Request("http://edge.test/v1/embeddings", {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
      },
    }),
  );
  await preflight.body?.cancel();
  assert.equal(preflight.headers.get("x-content-type-options"), "nosniff");
  // A Worker whose configuration is refused answers its own 500.
  const misconfigured = await worker.fetch(
    new Request("https://edge.example/health"),
    {
      AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
      AZURE_OPENAI_API_KEY: "azure-key",
      AOAI_EDGE_KEYS: KEY,
      AOAI_EDGE_CACHE_SCOPE: "bogus",
    },
    { waitUntil: () => {} },
  );
  await misconfigured.body?.cancel();
  assert.equal(misconfigured.status, 500);
  assert.equal(misconfigured.headers.get("x-content-type-options"), "nosniff");
});
