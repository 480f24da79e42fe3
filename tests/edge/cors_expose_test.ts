/**
 * A browser reads only the response headers CORS exposes: each header the app relays from the
 * upstream (rate-limit state, retry waits, request ids) must be one, or a browser SDK cannot
 * honour limits or report request ids.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { azurePath, KEY } from "./_helpers.ts";

/** What Azure OpenAI (and APIM in front of it) answers with, across versions. */
const UPSTREAM_HEADERS: Record<string, string> = {
  "content-type": "application/json",
  "x-ratelimit-remaining-requests": "99",
  "x-ratelimit-remaining-tokens": "9990",
  "x-ratelimit-limit-requests": "100",
  "x-ratelimit-limit-tokens": "10000",
  "x-ratelimit-reset-requests": "1s",
  "x-ratelimit-reset-tokens": "6m0s",
  "retry-after": "2",
  "retry-after-ms": "1500",
  "x-ms-retry-after-ms": "1500",
  "apim-request-id": "3f1c2a9e-0b7d-4c1e-9a55-2f7c3e1b9d10",
  "x-request-id": "req-0001",
  "x-ms-region": "Sweden Central",
  "x-ms-client-request-id": "client-0001",
};
/** Headers every browser reads without CORS exposing them. */
const SAFELISTED = new Set([
  "cache-control",
  "content-language",
  "content-length",
  "content-type",
  "expires",
  "last-modified",
  "pragma",
]);

Deno.test("CORS exposes every header the app relays from the upstream: x-ratelimit-limit-*, x-ratelimit-reset-*, x-ms-retry-after-ms, request ids", async () => {
  const app = createEdgeApp({
    clientKeys: [KEY],
    cors: { origins: ["https://app.example"] },
    upstream: new AzureOpenAI({
      endpoint: "http://upstream.local",
      apiKey: "azure-upstream-key",
      maxRetries: 0,
      fetch: () =>
        Promise.resolve(
          new Response(JSON.stringify({ object: "list", data: [] }), {
            headers: UPSTREAM_HEADERS,
          }),
        ),
    }),
  });
  const res = await app.fetch(
    new Request(`http://edge.test${azurePath("text-embedding-3-small", "embeddings")}`, {
      method: "POST",
      headers: {
        "api-key": KEY,
        "content-type": "application/json",
        origin: "https://app.example",
      },
      body: JSON.stringify({ input: "a" }),
    }),
  );
  await res.body?.cancel();
  assert.equal(res.status, 200);
  const exposed = new Set(
    (res.headers.get("access-control-expose-headers") ?? "").toLowerCase().split(/\s*,\s*/),
  );
  // Relayed (a browser SDK waits x-ms-retry-after-ms as the core client does).
  for (const name of Object.keys(UPSTREAM_HEADERS)) {
    assert.equal(res.headers.get(name), UPSTREAM_HEADERS[name], `${name} is not relayed`);
  }
  // And readable by the page.
  res.headers.forEach((_, name) => {
    if (
      name.startsWith("access-control-") || name === "vary" || SAFELISTED.has(name) ||
      name === "x-content-type-options" // for the browser, not the page's script
    ) return;
    assert.ok(exposed.has(name), `${name} is relayed but not exposed to browsers`);
  });
});
