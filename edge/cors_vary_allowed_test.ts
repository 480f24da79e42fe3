import assert from "node:assert/strict";
import { createCors } from "./cors.ts";

// A cache must not hand the answer made for one allowed origin to another origin.
Deno.test("createCors() with an allowlist sends Vary: origin on an allowed origin's answer too", () => {
  const cors = createCors({ origins: ["https://a.example"] });
  const req = new Request("http://x/v1/embeddings", { headers: { origin: "https://a.example" } });
  const headers = cors.headersFor(req);
  assert.equal(headers["access-control-allow-origin"], "https://a.example");
  assert.equal(headers.vary, "origin");
});
