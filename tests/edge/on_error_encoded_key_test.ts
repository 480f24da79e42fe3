// A client key sent as a deployment name goes into the upstream URL percent-encoded
// (`+` as %2B, `=` as %3D): an onError line quoting that URL must not carry the key in that form
// either.
import assert from "node:assert/strict";
import { createEdgeApp } from "../../edge/mod.ts";

/** A client key of characters a URL path encodes (as base64 keys have). */
const KEY = "key+with=odd&chars!0123";

Deno.test("onError lines mask a client key in its URL-encoded form too", async () => {
  const lines: string[] = [];
  const app = createEdgeApp({
    // Unreachable: the error names the upstream URL, deployment included.
    upstream: { endpoint: "http://127.0.0.1:9", apiKey: "an-azure-key-0001", maxRetries: 0 },
    clientKeys: [KEY],
    onError: (message) => lines.push(message),
  });
  const res = await app.fetch(
    new Request(
      `http://edge.test/openai/deployments/${
        encodeURIComponent(KEY)
      }/chat/completions?api-version=2024-10-21`,
      {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
      },
    ),
  );
  await res.body?.cancel();
  assert.equal(res.status, 502);
  assert.ok(lines.length > 0, "the failure was reported");
  for (const line of lines) {
    assert.ok(!line.includes(KEY), line);
    assert.ok(!line.includes(encodeURIComponent(KEY)), line);
    assert.ok(!line.includes("key%2Bwith"), line);
  }
});
