import assert from "node:assert/strict";
import { createEdgeApp } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY } from "./_helpers.ts";

Deno.test("an upstream 429 whose body breaks off: the 502 keeps its retry-after, x-ratelimit-* and request ids", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const served = (async () => {
    const conn = await listener.accept();
    await conn.read(new Uint8Array(64 * 1024));
    await conn.write(
      new TextEncoder().encode(
        "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\n" +
          "retry-after: 7\r\nretry-after-ms: 6500\r\nx-ratelimit-remaining-requests: 0\r\n" +
          "apim-request-id: apim-1\r\nx-request-id: req-1\r\ncontent-length: 100\r\n\r\n" +
          '{"error":',
      ),
    );
    conn.close();
  })();
  const app = createEdgeApp({
    upstream: {
      endpoint: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
      apiKey: "azure-secret-key-1",
    },
    clientKeys: [KEY],
    onError: () => {},
  });
  try {
    const res = await app.fetch(
      new Request(`http://edge.test${azurePath("gpt-4o", "chat/completions")}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
      }),
    );
    assert.equal(res.status, 502);
    assert.equal((await errorOf(res)).code, "UpstreamConnectionLost");
    assert.equal(res.headers.get("retry-after"), "7");
    assert.equal(res.headers.get("retry-after-ms"), "6500");
    assert.equal(res.headers.get("x-ratelimit-remaining-requests"), "0");
    assert.equal(res.headers.get("apim-request-id"), "apim-1");
    assert.equal(res.headers.get("x-request-id"), "req-1");
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.equal(res.headers.get("x-aoai-upstream"), "0");
  } finally {
    await served;
    listener.close();
  }
});
