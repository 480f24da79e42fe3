/**
 * `x-ms-client-request-id`: a client's correlation id (Azure SDKs send one on every call) reaches
 * the upstream, which echoes it, and the echo reaches the client.
 */
import assert from "node:assert/strict";
import { azurePath, testApp } from "./_helpers.ts";

const chat = { messages: [{ role: "user", content: "hi" }] };

Deno.test("a client's x-ms-client-request-id is sent upstream and its echo relayed back", async () => {
  const t = testApp();
  const id = "5a0e8c1e-4d1b-4b8e-9a61-0c2f7f3b9d11";
  for (
    const [path, json] of [
      [azurePath("gpt-4o", "chat/completions"), chat],
      ["/v1/embeddings", { model: "text-embedding-3-small", input: "hi" }],
    ] as const
  ) {
    const res = await t.call(path, { json, headers: { "x-ms-client-request-id": id } });
    await res.body?.cancel();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-ms-client-request-id"), id);
  }
  assert.deepEqual(t.upstreamHeaders.map((h) => h.get("x-ms-client-request-id")), [id, id]);
});

Deno.test("an x-ms-client-request-id too long to be an id is not sent upstream", async () => {
  const t = testApp();
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
    json: chat,
    headers: { "x-ms-client-request-id": "x".repeat(1000) },
  });
  await res.body?.cancel();
  assert.equal(res.status, 200);
  assert.equal(t.upstreamHeaders[0].get("x-ms-client-request-id"), null);
});

Deno.test("browsers may read the echoed x-ms-client-request-id (CORS exposes it)", async () => {
  const t = testApp({ cors: { origins: ["https://app.example"] } });
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
    json: chat,
    headers: { origin: "https://app.example", "x-ms-client-request-id": "trace-1" },
  });
  await res.body?.cancel();
  const exposed = (res.headers.get("access-control-expose-headers") ?? "").split(/,\s*/);
  assert.ok(exposed.includes("x-ms-client-request-id"), exposed.join(", "));
});
