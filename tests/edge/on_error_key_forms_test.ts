// onError lines are masked of the client keys (createEdgeApp's reportSafely()). It masked a key
// only as written and URL-encoded, case-sensitively. An upstream's 401 is logged with the start
// of its body, and a body echoing the request's path lower-cased (as case-folding gateways and
// services do) carried a client key pasted as the deployment name into the log.
import assert from "node:assert/strict";
import { createEdgeApp } from "../../edge/mod.ts";

const KEY = "Edge-Client-KEY-Mixed-0123";

Deno.test("onError lines mask a client key lower-cased in an upstream's echo", async () => {
  const lines: string[] = [];
  const app = createEdgeApp({
    upstream: {
      endpoint: "https://key-forms.openai.azure.com",
      apiKey: "an-azure-key-0001",
      maxRetries: 0,
      // A 401 whose message quotes the deployment of the path, lower-cased.
      fetch: (req: Request) => {
        const deployment = decodeURIComponent(new URL(req.url).pathname.split("/")[3]);
        const message = `Access denied for deployment ${deployment.toLowerCase()}`;
        return Promise.resolve(
          new Response(JSON.stringify({ error: { code: "401", message } }), {
            status: 401,
            headers: { "content-type": "application/json" },
          }),
        );
      },
    },
    clientKeys: [KEY],
    onError: (message) => lines.push(message),
  });
  const res = await app.fetch(
    new Request(
      `http://edge.test/openai/deployments/${KEY}/chat/completions?api-version=2024-10-21`,
      {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
      },
    ),
  );
  await res.body?.cancel();
  assert.equal(res.status, 401);
  const log = lines.join("\n");
  assert.match(log, /refused the app's credential \(401\): .*Access denied/, log);
  for (const form of [KEY, KEY.toLowerCase(), KEY.toUpperCase()]) {
    assert.ok(!log.includes(form), `${form} in ${log}`);
  }
});
