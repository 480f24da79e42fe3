/**
 * The errors the edge app answers itself (an unknown route, a bad body, a body too large, a rate
 * limit) echo the client's `x-ms-client-request-id` as the upstream's answers do, under the same
 * rules (visible ASCII, up to 256 characters, holding no client key), so a client can match every
 * answer it gets to its request. A caller without a valid key (the 401) is echoed none: see
 * tests/security/client_request_id_key_oracle_test.ts.
 */
import assert from "node:assert/strict";
import { azurePath, KEY, testApp } from "./_helpers.ts";

const ID = "7c4e2a90-1f3b-4a6d-8e21-9b0d5c7f3a12";
const CHAT = azurePath("gpt-4o", "chat/completions");

Deno.test("the app's own error answers echo the client's x-ms-client-request-id", async () => {
  const t = testApp({ maxJsonBytes: 1000 });
  const limited = testApp({ rateLimit: { requestsPerMinute: 1 } });
  const id = { "x-ms-client-request-id": ID };
  const cases: [string, () => Promise<Response>, number][] = [
    ["unknown route", () => t.call("/openai/nothing-here", { json: {}, headers: id }), 404],
    ["bad body", () => t.call(CHAT, { json: { messages: "no" }, headers: id }), 400],
    [
      "too large",
      () => t.call(CHAT, { json: { messages: [], pad: "x".repeat(5000) }, headers: id }),
      413,
    ],
    [
      "first call",
      () =>
        limited.call(CHAT, { json: { messages: [{ role: "user", content: "hi" }] }, headers: id }),
      200,
    ],
    [
      "rate limited",
      () =>
        limited.call(CHAT, { json: { messages: [{ role: "user", content: "hi" }] }, headers: id }),
      429,
    ],
  ];
  for (const [what, call, status] of cases) {
    const res = await call();
    await res.body?.cancel();
    assert.equal(res.status, status, what);
    assert.equal(res.headers.get("x-ms-client-request-id"), ID, what);
  }
});

Deno.test("an id the app would not send upstream is not echoed on its own errors either", async () => {
  const t = testApp({});
  for (const bad of ["has space", `id-${KEY}`, "x".repeat(257)]) {
    const res = await t.call(CHAT, {
      json: { messages: "no" },
      headers: { "x-ms-client-request-id": bad },
    });
    await res.body?.cancel();
    assert.equal(res.status, 400);
    assert.equal(res.headers.get("x-ms-client-request-id"), null, bad.slice(0, 12));
  }
});
