import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, testApp } from "./_helpers.ts";

const CHAT = { messages: [{ role: "user", content: "hi" }] };

function appWith(fetch: (req: Request, init?: RequestInit) => Promise<Response>) {
  const messages: string[] = [];
  const app = createEdgeApp({
    upstream: new AzureOpenAI({
      endpoint: "http://upstream.test",
      apiKey: "azure-secret-1",
      fetch,
    }),
    clientKeys: [KEY],
    onError: (m) => messages.push(m),
  });
  const call = (path: string, json: unknown) =>
    app.fetch(
      new Request(`http://edge.test${path}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify(json),
      }),
    );
  return { app, call, messages };
}

Deno.test("app relays an upstream 429 with its status, body and retry-after headers", async () => {
  let calls = 0;
  const { call } = appWith(() => {
    calls++;
    return Promise.resolve(
      new Response(JSON.stringify({ error: { code: "429", message: "Requests exceed limit" } }), {
        status: 429,
        headers: {
          "content-type": "application/json",
          "retry-after": "7",
          "retry-after-ms": "6500",
          "x-ratelimit-remaining-requests": "0",
          "set-cookie": "upstream=1",
        },
      }),
    );
  });
  const res = await call(azurePath("gpt-4o", "chat/completions"), CHAT);
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "7");
  assert.equal(res.headers.get("retry-after-ms"), "6500");
  assert.equal(res.headers.get("x-ratelimit-remaining-requests"), "0");
  assert.equal(res.headers.get("set-cookie"), null);
  assert.deepEqual(await res.json(), { error: { code: "429", message: "Requests exceed limit" } });
  assert.equal(calls, 1, "the app does not retry upstream by default");
});

Deno.test("app relays upstream 4xx/5xx bodies unchanged", async () => {
  const t = testApp();
  t.emulator.failNext(1, 500);
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), { json: CHAT });
  assert.equal(res.status, 500);
  const err = await errorOf(res);
  assert.ok(err.message.length > 0);
  const filtered = await t.call(azurePath("gpt-4o", "chat/completions"), {
    json: { messages: [{ role: "user", content: "__content_filter__" }] },
  });
  assert.equal(filtered.status, 400);
  assert.equal((await errorOf(filtered)).code, "content_filter");
  const missing = await t.call(azurePath("no-such-deployment", "chat/completions"), { json: CHAT });
  assert.equal(missing.status, 404);
  assert.equal((await errorOf(missing)).code, "DeploymentNotFound");
});

Deno.test("app answers 502 with a clear message when the upstream is unreachable", async () => {
  const { call, messages } = appWith(() => Promise.reject(new TypeError("connection refused")));
  const res = await call(azurePath("gpt-4o", "chat/completions"), CHAT);
  assert.equal(res.status, 502);
  const err = await errorOf(res);
  assert.equal(err.code, "UpstreamUnreachable");
  assert.match(err.message, /could not reach the Azure OpenAI upstream \(upstream\.test\)/);
  assert.equal(err.type, "server_error");
  assert.equal(messages.length, 1);
  assert.ok(!messages[0].includes("azure-secret-1"));
});

Deno.test("app answers 502 when the upstream port is closed (real connection)", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const app = createEdgeApp({
    upstream: { endpoint: `http://127.0.0.1:${port}`, apiKey: "azure-secret-2" },
    clientKeys: [KEY],
  });
  const res = await app.fetch(
    new Request(`http://edge.test/v1/embeddings`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ model: "e", input: "x" }),
    }),
  );
  assert.equal(res.status, 502);
  const text = await res.text();
  assert.match(text, /UpstreamUnreachable/);
  assert.ok(!text.includes("azure-secret-2"));
});

Deno.test("app reads at most 1 MiB of an upstream error body, cancels the rest, and answers a JSON error for a page that is not one", async () => {
  let sent = 0;
  let cancelled = false;
  const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
  const { app } = appWith(() =>
    Promise.resolve(
      new Response(
        new ReadableStream<Uint8Array>({
          // A gateway error page that never ends: only what the app reads is produced.
          pull(controller) {
            sent += chunk.length;
            controller.enqueue(chunk);
          },
          cancel() {
            cancelled = true;
          },
        }),
        { status: 502, headers: { "content-type": "text/html" } },
      ),
    )
  );
  const res = await app.fetch(
    new Request(`http://edge.test${azurePath("gpt-4o", "chat/completions")}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify(CHAT),
    }),
  );
  assert.equal(res.status, 502);
  assert.equal((await errorOf(res)).code, "UpstreamError");
  assert.ok(cancelled, "the rest of the upstream body is cancelled");
  assert.ok(sent < 2 * 1024 * 1024, `read ${sent} bytes`);
});
