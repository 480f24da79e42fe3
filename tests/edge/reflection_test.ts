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

/** Throws when `text` holds `secret` or any 6-character piece of it. */
function assertNoPieceOf(text: string, secret: string, label: string): void {
  for (let i = 0; i + 6 <= secret.length; i++) {
    const piece = secret.slice(i, i + 6);
    assert.ok(!text.includes(piece), `${label}: ${piece} of the secret in ${text}`);
  }
}

Deno.test("a body that is not JSON gets a 400 that quotes none of the body", async () => {
  const secret = "Zq9xK2vLw8Pm4Rt7Yb3N";
  const t = testApp({ clientKeys: [secret] });
  const bodies = [
    `{"x": ${secret}}`,
    `{"messages": [], "x": ${secret}, "y": 1}`,
    `${secret}`,
    `{"a": "${secret}" ${MARKUP}}`,
    `{"a": 1}${secret}`,
    `{"a": "${secret}`,
  ];
  const paths = [
    azurePath("gpt-4o", "chat/completions"),
    azurePath("text-embedding-3-small", "embeddings"),
    "/v1/embeddings",
    "/openai/images/generations:submit?api-version=2023-06-01-preview",
  ];
  for (const path of paths) {
    for (const body of bodies) {
      const res = await t.call(path, {
        method: "POST",
        headers: { "api-key": secret, "content-type": "application/json" },
        body,
      });
      const label = `${path} ${body}`;
      assert.equal(res.status, 400, label);
      const text = await res.clone().text();
      assertNoPieceOf(text, secret, label);
      assert.ok(!text.includes("<img") && !text.includes("Call-555"), `${label}: ${text}`);
      const err = await errorOf(res);
      assert.equal(err.code, "invalid_json", label);
      assert.match(err.message, /not valid JSON/, label);
    }
  }
  assert.equal(t.upstream.length, 0);
});
