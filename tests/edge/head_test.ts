import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { KEY } from "./_helpers.ts";

Deno.test("HEAD of an image operation answers the GET's status and headers and releases the upstream body", async () => {
  const seen: string[] = [];
  const app = createEdgeApp({
    upstream: new AzureOpenAI({
      endpoint: "http://upstream.test",
      apiKey: "azure-key-1",
      fetch: (req) => {
        seen.push(`${req.method} ${new URL(req.url).pathname}`);
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(new TextEncoder().encode('{"id":"op-1","status":"running"}'));
            controller.close();
          },
          cancel() {
            seen.push("upstream body cancelled");
          },
        }, { highWaterMark: 0 });
        return Promise.resolve(
          new Response(body, { headers: { "content-type": "application/json" } }),
        );
      },
    }),
    clientKeys: [KEY],
  });
  const res = await app.fetch(
    new Request("http://edge.test/openai/operations/images/op-1?api-version=2023-06-01-preview", {
      method: "HEAD",
      headers: { "api-key": KEY },
    }),
  );
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.equal(res.body, null);
  // Left unread, the upstream body would hold its connection until garbage collection.
  assert.deepEqual(seen, ["GET /openai/operations/images/op-1", "upstream body cancelled"]);
});
