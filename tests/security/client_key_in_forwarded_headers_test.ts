/**
 * The two headers the edge app passes upstream as the client sent them (`x-ms-client-request-id`,
 * `accept`) never carry a client key to Azure: tooling that reuses the key as a correlation id
 * would otherwise send it along (and get it echoed back in the response's headers).
 */
import assert from "node:assert/strict";
import { azurePath, KEY, testApp } from "../edge/_helpers.ts";

const PATH = azurePath("text-embedding-3-small", "embeddings");

Deno.test("a client key inside x-ms-client-request-id or accept does not go upstream", async () => {
  const t = testApp();
  for (
    const headers of [
      { "x-ms-client-request-id": KEY } as Record<string, string>,
      { "x-ms-client-request-id": `req-${KEY.toUpperCase()}-1` },
      { accept: `application/json; k=${KEY}` },
    ]
  ) {
    const res = await t.call(PATH, { json: { input: "x" }, headers });
    const text = await res.text();
    assert.equal(res.status, 200, JSON.stringify(headers));
    assert.ok(!text.includes(KEY));
    for (const [name, value] of res.headers) {
      assert.ok(!value.toLowerCase().includes(KEY.toLowerCase()), `response ${name}`);
    }
  }
  assert.equal(t.upstreamHeaders.length, 3);
  for (const sent of t.upstreamHeaders) {
    for (const [name, value] of sent) {
      assert.ok(!value.toLowerCase().includes(KEY.toLowerCase()), `upstream ${name}`);
    }
  }
});

Deno.test("an ordinary x-ms-client-request-id and accept still go upstream", async () => {
  const t = testApp();
  const res = await t.call(PATH, {
    json: { input: "x" },
    headers: { "x-ms-client-request-id": "req-42", accept: "application/json" },
  });
  await res.body?.cancel();
  assert.equal(res.status, 200);
  const sent = new Headers(t.upstreamHeaders[0]);
  assert.equal(sent.get("x-ms-client-request-id"), "req-42");
  assert.equal(sent.get("accept"), "application/json");
});
