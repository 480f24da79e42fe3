// The last (or only) upstream answering 2xx of the wrong kind (a proxy's HTML page) is reported as
// answered 502 by the app, not as a failover to an upstream that is not there.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { azurePath, errorOf, postJson } from "./_helpers.ts";
import { reportingApp } from "./_stream_upstream.ts";

Deno.test("the only upstream answering 200 text/html is reported as answered 502", async () => {
  const { app, errors } = reportingApp(
    new AzureOpenAI({
      endpoint: "http://proxy.local",
      apiKey: "azure-key",
      fetch: () =>
        Promise.resolve(
          new Response("<html>Sign in</html>", { headers: { "content-type": "text/html" } }),
        ),
    }),
    false,
  );
  const res = await app.fetch(
    postJson(azurePath("gpt-4o", "chat/completions"), {
      messages: [{ role: "user", content: "hi" }],
    }),
  );
  assert.equal(res.status, 502);
  assert.equal((await errorOf(res)).code, "UpstreamError");
  assert.deepEqual(errors, [
    "chat.completions.create: upstream proxy.local answered 200 text/html, not JSON (a proxy's " +
    "sign-in page, a misconfigured endpoint?); answered 502",
  ]);
});
