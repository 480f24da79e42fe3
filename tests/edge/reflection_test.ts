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

/** The part of `message` between its first and last double quote: what it quotes. */
function quotedIn(message: string): string {
  const start = message.indexOf('"');
  const end = message.lastIndexOf('"');
  assert.ok(start !== -1 && end > start, `nothing quoted in ${message}`);
  return message.slice(start + 1, end);
}

/** Throws when the quoted part of `message` could carry markup or run on. */
function assertTameQuote(message: string, label: string): string {
  const quoted = quotedIn(message);
  assert.ok(Array.from(quoted).length <= 41, `${label}: ${quoted.length} characters quoted`);
  assert.doesNotMatch(quoted, /[<>"'&`\\\p{Cc}\p{Cf}\u2028\u2029]/u, `${label}: ${quoted}`);
  assert.ok(!/<img|Call-555-0100/i.test(message), `${label}: ${message}`);
  return quoted;
}

Deno.test("the 400 for a bad api-version quotes at most 40 plain characters of it", async () => {
  const t = testApp();
  const chat = { messages: [{ role: "user", content: "x" }] };
  const versions = [
    MARKUP,
    `2024-10-21${MARKUP}`,
    `x${"y".repeat(500)}`,
    "2024\u0000-10\u001b[31m-21\u202e\u2028&amp;`\\",
  ];
  for (const version of versions) {
    const query = `?api-version=${encodeURIComponent(version)}`;
    for (
      const path of [
        `/openai/deployments/gpt-4o/chat/completions${query}`,
        `/openai/images/generations:submit${query}`,
        `/openai/operations/images/op-1${query}`,
      ]
    ) {
      const res = await t.call(path, path.includes("operations") ? {} : { json: chat });
      assert.equal(res.status, 400, path);
      const err = await errorOf(res);
      assert.equal(err.param, "api-version");
      const quoted = assertTameQuote(err.message, path);
      assert.ok(quoted.startsWith(Array.from(version).slice(0, 4).join("").replace(/[<"]/g, "?")));
      assert.match(err.message, /YYYY-MM-DD or YYYY-MM-DD-preview, like 2024-10-21/);
    }
  }
  assert.equal(t.upstream.length, 0);
});

Deno.test("the 400 for a content-type that is not JSON quotes at most 40 plain characters of it", async () => {
  const t = testApp();
  const types = [
    `text/${MARKUP}`,
    `application/${"x".repeat(500)}; charset=utf-8`,
    "text/plain\u0001\u007f&'`\\",
  ];
  for (const type of types) {
    const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
      method: "POST",
      headers: { "content-type": type },
      body: "{}",
    });
    assert.equal(res.status, 400, type);
    const err = await errorOf(res);
    assert.equal(err.code, "invalid_content_type");
    const quoted = assertTameQuote(err.message, type);
    assert.ok(quoted.startsWith(type.slice(0, 5)), quoted);
    assert.match(err.message, /send content-type: application\/json/);
  }
  const plain = await t.call(azurePath("gpt-4o", "chat/completions"), {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: "{}",
  });
  assert.match((await errorOf(plain)).message, /\(got "text\/plain"\)/, "a plain value as sent");
  assert.equal(t.upstream.length, 0);
});

Deno.test("the 404 for a deployment outside the allowlist quotes at most 64 plain characters of its name", async () => {
  const t = testApp({ deployments: ["gpt-4o", "text-embedding-3-small"] });
  const names = [MARKUP, `${"d".repeat(64)}${MARKUP}`, "dep\u0000\u001b[31m\u202e\u2028&amp;`"];
  for (const name of names) {
    for (
      const res of [
        await t.call(azurePath(name, "chat/completions"), {
          json: { messages: [{ role: "user", content: "x" }] },
        }),
        await t.call("/v1/embeddings", { json: { model: name, input: "x" } }),
      ]
    ) {
      assert.equal(res.status, 404);
      const err = await errorOf(res);
      assert.equal(err.code, "DeploymentNotFound");
      const quoted = quotedIn(err.message);
      assert.ok(Array.from(quoted).length <= 65, `${quoted.length} characters quoted`);
      assert.doesNotMatch(quoted, /[<>"'&`\\\p{Cc}\p{Cf}\u2028\u2029]/u, quoted);
      assert.ok(!err.message.includes("<img"), err.message);
    }
  }
  // A real (if unknown) deployment name, up to Azure's 64 characters, is quoted whole.
  const long = `my-deployment_v2.${"x".repeat(47)}`;
  const res = await t.call("/v1/embeddings", { json: { model: long, input: "x" } });
  assert.equal(quotedIn((await errorOf(res)).message), long);
  assert.equal(t.upstream.length, 0);
});
