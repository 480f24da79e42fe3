// A 405 names the methods a route takes in `Allow`; a browser client reads it only when CORS
// exposes it (as it does retry-after, x-aoai-cache and the request ids).
import assert from "node:assert/strict";
import { azurePath, testApp } from "./_helpers.ts";

Deno.test("CORS exposes Allow on a 405, with retry-after, x-aoai-cache and the request ids", async () => {
  const t = testApp({ cors: { origins: ["https://app.example"] } });
  const res = await t.call(azurePath("text-embedding-3-small", "embeddings"), {
    method: "GET",
    headers: { origin: "https://app.example" },
  });
  await res.body?.cancel();
  assert.equal(res.status, 405);
  assert.ok(res.headers.get("allow"));
  assert.equal(res.headers.get("access-control-allow-origin"), "https://app.example");
  const exposed = (res.headers.get("access-control-expose-headers") ?? "").split(/,\s*/);
  for (
    const name of [
      "allow",
      "retry-after",
      "x-aoai-cache",
      "apim-request-id",
      "x-request-id",
      "x-ms-client-request-id",
    ]
  ) assert.ok(exposed.includes(name), `${name} not exposed: ${exposed.join(", ")}`);
});
