import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp, denoHandler } from "../../edge/mod.ts";
import { azurePath, KEY } from "./_helpers.ts";

Deno.test(
  "denoHandler() aborts the upstream call when the HTTP client disconnects before the upstream answers",
  async () => {
    let called!: () => void;
    const upstreamCalled = new Promise<void>((r) => called = r);
    let settle!: (how: string) => void;
    const upstreamOutcome = new Promise<string>((r) => settle = r);
    const app = createEdgeApp({
      upstream: new AzureOpenAI({
        endpoint: "http://upstream.test",
        apiKey: "azure-secret-1",
        fetch: (req: Request, init?: RequestInit) => {
          const signal = init?.signal ?? req.signal;
          called();
          // Bounded: answers by itself after 5 s unless the signal aborts first.
          return new Promise<Response>((resolve, reject) => {
            const timer = setTimeout(() => {
              settle("answered");
              resolve(Response.json({ choices: [] }));
            }, 5000);
            signal?.addEventListener("abort", () => {
              clearTimeout(timer);
              settle("aborted");
              reject(signal.reason);
            });
          });
        },
      }),
      clientKeys: [KEY],
    });
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      denoHandler(app),
    );
    const controller = new AbortController();
    const pending = fetch(
      `http://127.0.0.1:${server.addr.port}${azurePath("gpt-4o", "chat/completions")}`,
      {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
        signal: controller.signal,
      },
    ).catch((err) => err);
    await upstreamCalled;
    controller.abort();
    await pending;
    assert.equal(await upstreamOutcome, "aborted");
  },
);

Deno.test("denoHandler() does not abort anything after a response completed normally", async () => {
  const seen: boolean[] = [];
  const app = createEdgeApp({
    upstream: new AzureOpenAI({
      endpoint: "http://upstream.test",
      apiKey: "azure-secret-1",
      fetch: (req: Request, init?: RequestInit) => {
        const signal = init?.signal ?? req.signal;
        signal?.addEventListener("abort", () => seen.push(true));
        return Promise.resolve(
          Response.json({ object: "list", data: [], model: "m", usage: { prompt_tokens: 0 } }),
        );
      },
    }),
    clientKeys: [KEY],
  });
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    denoHandler(app),
  );
  for (let i = 0; i < 3; i++) {
    const res = await fetch(
      `http://127.0.0.1:${server.addr.port}${azurePath("emb", "embeddings")}`,
      {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({ input: "x" }),
      },
    );
    assert.equal(res.status, 200);
    await res.text();
  }
  // A further round trip lets Deno fire its after-response aborts of the earlier requests.
  await (await fetch(`http://127.0.0.1:${server.addr.port}/health`)).text();
  assert.deepEqual(seen, []);
});
