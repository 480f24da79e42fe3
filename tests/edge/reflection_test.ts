import assert from "node:assert/strict";
import { azurePath, errorOf, testApp } from "./_helpers.ts";

// A value taken from the request and written back into a response is a small injection and
// phishing vector (a crafted link whose "error" shows the attacker's text), and tells the client
// nothing it did not send.

const MARKUP = "<img src=x onerror=alert(1)>\"'Call-555-0100-to-restore-access";

Deno.test("the 404 answers a fixed message and never echoes the request path", async () => {
  const t = testApp();
  const paths = [
    `/${MARKUP}`,
    `/openai/deployments/gpt-4o/${MARKUP}?api-version=2024-10-21`,
    azurePath("gpt-4o", `x/${MARKUP}`),
    `/v1/${MARKUP}`,
    `/openai/v1/${MARKUP}`,
  ];
  const messages = new Set<string>();
  for (const path of paths) {
    for (const method of ["GET", "POST", "PUT"]) {
      const res = await t.call(path, { method });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.headers.get("content-type"), "application/json");
      const text = await res.clone().text();
      const pathname = new URL(`http://edge.test${path}`).pathname;
      for (
        const echo of [
          MARKUP,
          encodeURI(MARKUP),
          "Call-555-0100",
          "onerror",
          "<img",
          "%3Cimg",
          pathname,
        ]
      ) {
        assert.ok(!text.includes(echo), `${method} ${path} echoes ${echo}: ${text}`);
      }
      const err = await errorOf(res);
      assert.equal(err.code, "404");
      assert.equal(err.param, null);
      assert.equal(err.type, "invalid_request_error");
      messages.add(err.message);
    }
  }
  assert.equal(messages.size, 1, "one fixed message for every unknown path");
  assert.equal(t.upstream.length, 0);
});
