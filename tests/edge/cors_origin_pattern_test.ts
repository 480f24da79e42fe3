/**
 * An allowlist entry with a wildcard (`https://*.example.com`, `["*"]`) was taken as written and
 * matched no Origin a browser sends: the operator's browser app was refused with no word why.
 * It is refused when the app is built, saying to list each origin or to pass "*" itself.
 */
import assert from "node:assert/strict";
import { createCors } from "../../edge/cors.ts";
import { createEdgeApp } from "../../edge/mod.ts";

for (
  const entry of ["https://*.example.com", "*", "https://app.example.*", "chrome-extension://*"]
) {
  Deno.test(`createCors() refuses the wildcard entry ${JSON.stringify(entry)}, saying what to write`, () => {
    for (
      const make of [
        () => createCors({ origins: [entry] }),
        () =>
          createEdgeApp({
            upstream: { endpoint: "https://res.openai.azure.com", apiKey: "upstream-key-0001" },
            clientKeys: ["a-long-client-key-0001"],
            cors: { origins: ["https://app.example", entry] },
          }),
      ]
    ) {
      assert.throws(make, (err: unknown) => {
        assert.ok(err instanceof TypeError, String(err));
        assert.ok(err.message.includes(JSON.stringify(entry)), err.message);
        assert.match(err.message, /wildcard/);
        assert.match(err.message, /origins: "\*"/);
        return true;
      });
    }
  });
}

Deno.test('createCors() still takes plain origins and a whole "*"', () => {
  const any = createCors({ origins: "*" });
  assert.equal(
    any.headersFor(new Request("http://x/", { headers: { origin: "https://b.example" } }))[
      "access-control-allow-origin"
    ],
    "*",
  );
  const listed = createCors({ origins: ["https://a.example", "http://localhost:5173"] });
  assert.equal(
    listed.headersFor(new Request("http://x/", { headers: { origin: "http://localhost:5173" } }))[
      "access-control-allow-origin"
    ],
    "http://localhost:5173",
  );
});
