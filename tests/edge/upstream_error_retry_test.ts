// A non-JSON upstream error (a gateway's HTML page) is answered as a JSON UpstreamError also
// when the app retries upstream (`upstreamMaxRetries`) and the page is a 429 asking to wait
// longer than retry() waits: that 429 comes back as an error the app rebuilds a response from,
// which skipped the conversion and relayed the page as it was.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp, denoHandler } from "../../edge/mod.ts";
import { errorOf, KEY } from "./_helpers.ts";

const COMPLETIONS = "/openai/deployments/inst/completions?api-version=2024-10-21";

Deno.test("pass-through with upstreamMaxRetries: an upstream 429 HTML page asking for a long wait becomes a JSON UpstreamError keeping retry-after", async () => {
  const page = "<html><body><h1>Too many requests</h1></body></html>";
  await using upstream = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      new Response(page, {
        status: 429,
        headers: { "content-type": "text/html", "retry-after": "120" },
      }),
  );
  const errors: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    upstreamMaxRetries: 2,
    onError: (line) => errors.push(line),
    upstream: new AzureOpenAI({
      endpoint: `http://127.0.0.1:${upstream.addr.port}`,
      apiKey: "azure-secret-retry-0123456789",
      maxRetries: 0,
    }),
  });
  await using edge = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    denoHandler(app),
  );
  const res = await fetch(`http://127.0.0.1:${edge.addr.port}${COMPLETIONS}`, {
    method: "POST",
    headers: { "api-key": KEY, "content-type": "application/json" },
    body: JSON.stringify({ prompt: "hi" }),
  });
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "120");
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.equal((await errorOf(res)).code, "UpstreamError");
  assert.ok(errors.some((line) => line.includes("429 without a JSON error: Too many requests")));
});
