/**
 * With `cors: { origins: "*" }`, an answer must not depend on whether the request had an Origin
 * unless it says so with `Vary: origin`: a browser (or CDN) that cached the answer to a plain
 * request (a navigation, a curl through the CDN) would hand it to a later CORS read of the same
 * URL, which then fails for want of `access-control-allow-origin` (the Fetch standard's "CORS
 * protocol and HTTP caches"). The app sends `access-control-allow-origin: *` on every answer.
 */
import assert from "node:assert/strict";
import { createCors } from "../../edge/cors.ts";
import { createEdgeApp } from "../../edge/mod.ts";

const app = () =>
  createEdgeApp({
    upstream: { endpoint: "https://res.openai.azure.com", apiKey: "upstream-key-0001" },
    clientKeys: ["a-long-client-key-0001"],
    cors: { origins: "*" },
  });

const corsHeaders = (res: Response) =>
  Object.fromEntries(
    [...res.headers].filter(([name]) => name.startsWith("access-control-") || name === "vary"),
  );

for (const path of ["/health", "/", "/openai/v1/models"]) {
  Deno.test(`cors "*": GET ${path} answers the same CORS headers with or without an Origin, or varies on it`, async () => {
    const plain = await app().fetch(new Request(`http://edge.test${path}`));
    await plain.body?.cancel();
    const cors = await app().fetch(
      new Request(`http://edge.test${path}`, { headers: { origin: "https://a.example" } }),
    );
    await cors.body?.cancel();
    assert.equal(cors.headers.get("access-control-allow-origin"), "*");
    const varies = (plain.headers.get("vary") ?? "").toLowerCase().split(/,\s*/).includes(
      "origin",
    );
    if (!varies) assert.deepEqual(corsHeaders(plain), corsHeaders(cors));
  });
}

Deno.test('createCors({ origins: "*" }).headersFor() allows any origin without an Origin too', () => {
  const headers = createCors({ origins: "*" }).headersFor(new Request("http://edge.test/health"));
  assert.equal(headers["access-control-allow-origin"], "*");
  assert.ok(headers["access-control-expose-headers"]?.includes("x-aoai-cache"));
  assert.equal(headers.vary, undefined);
});
