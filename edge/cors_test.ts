import assert from "node:assert/strict";
import { createCors } from "./cors.ts";

const req = (origin: string | null, method = "GET", extra: Record<string, string> = {}) =>
  new Request("http://app/v1/embeddings", {
    method,
    headers: { ...(origin ? { origin } : {}), ...extra },
  });

Deno.test("createCors() adds headers only for allowed origins", () => {
  const cors = createCors({ origins: ["https://a.example/"] });
  assert.equal(
    cors.headersFor(req("https://a.example"))["access-control-allow-origin"],
    "https://a.example",
  );
  const exposed = cors.headersFor(req("https://a.example"))["access-control-expose-headers"]
    .split(/,\s*/);
  // What a browser app needs to read: cache status, which upstream answered, waits, request ids.
  for (const name of ["x-aoai-cache", "x-aoai-upstream", "retry-after", "apim-request-id"]) {
    assert.ok(exposed.includes(name), name);
  }
  assert.deepEqual(cors.headersFor(req("https://b.example")), { vary: "origin" });
  assert.deepEqual(cors.headersFor(req(null)), { vary: "origin" });
});

Deno.test("createCors().preflight() answers OPTIONS with the allowed methods and headers", () => {
  const cors = createCors({ origins: "*", maxAgeSeconds: 60 });
  const res = cors.preflight(
    req("https://any.example", "OPTIONS", {
      "access-control-request-headers": "api-key, content-type",
    }),
  );
  assert.ok(res);
  assert.equal(res.status, 204);
  assert.equal(res.headers.get("access-control-allow-origin"), "*");
  assert.equal(res.headers.get("access-control-allow-headers"), "api-key, content-type");
  assert.equal(res.headers.get("access-control-max-age"), "60");
  assert.equal(cors.preflight(req("https://any.example", "POST")), null);
});

Deno.test("createCors() without options never adds CORS headers", () => {
  const cors = createCors(undefined);
  assert.deepEqual(cors.headersFor(req("https://a.example")), {});
  const res = cors.preflight(req("https://a.example", "OPTIONS"));
  assert.equal(res?.headers.get("access-control-allow-origin"), null);
  assert.throws(() => createCors({ origins: [3 as unknown as string] }), /cors.origins/);
});

Deno.test("createCors() matches configured origins written with capitals or a default port", () => {
  const cors = createCors({ origins: ["https://App.Example:443", "HTTP://localhost:80/"] });
  assert.equal(
    cors.headersFor(req("https://app.example"))["access-control-allow-origin"],
    "https://app.example",
  );
  assert.equal(
    cors.headersFor(req("http://localhost"))["access-control-allow-origin"],
    "http://localhost",
  );
  assert.deepEqual(cors.headersFor(req("https://app.example:8443")), { vary: "origin" });
});

Deno.test("createCors() throws a TypeError naming an entry that is not an origin", () => {
  assert.throws(
    () => createCors({ origins: ["app.example.com"] }),
    (err: unknown) =>
      err instanceof TypeError && err.message.includes('"app.example.com"') &&
      err.message.includes("https://"),
  );
  assert.throws(() => createCors({ origins: ["https://a.example/path"] }), TypeError);
});

Deno.test("createCors() with an allowlist sends Vary: origin on every answer, allowed or not", () => {
  const cors = createCors({ origins: ["https://a.example"] });
  assert.equal(cors.headersFor(req("https://b.example")).vary, "origin");
  assert.equal(cors.headersFor(req(null)).vary, "origin");
  const denied = cors.preflight(req("https://b.example", "OPTIONS"));
  assert.equal(denied?.headers.get("vary"), "origin");
  assert.equal(denied?.headers.get("access-control-allow-origin"), null);
  assert.equal(createCors({ origins: "*" }).headersFor(req(null)).vary, undefined);
});

Deno.test("createCors() preflight varies on the request headers it echoes", () => {
  const ask = { "access-control-request-headers": "api-key, content-type" };
  for (
    const [origins, vary] of [[["https://a.example"], "origin, access-control-request-headers"], [
      "*",
      "access-control-request-headers",
    ]] as const
  ) {
    const res = createCors({ origins: origins as string[] | "*" }).preflight(
      req("https://a.example", "OPTIONS", ask),
    );
    assert.equal(res?.headers.get("access-control-allow-headers"), "api-key, content-type");
    assert.equal(res?.headers.get("vary"), vary);
  }
});
