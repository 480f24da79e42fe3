import assert from "node:assert/strict";
import { errorOf, testApp, VERSION } from "./_helpers.ts";

const EMBED = { input: "x" };

/** Names that cannot be one path segment of the upstream URL (no allowlist in these apps). */
const UNSAFE: Array<[string, string]> = [
  ["a slash", "a/b"],
  ["a backslash", "a\\b"],
  ["a NUL", "a\u0000b"],
  ["a newline", "gpt-4o\n"],
  ["a DEL", "a\u007fb"],
  ["a C1 control", "a\u0085b"],
  ["a lone surrogate", "a\ud800b"],
  ["256 characters", "d".repeat(256)],
];

for (const [what, name] of UNSAFE) {
  Deno.test(`app refuses a deployment named with ${what} (body model) with 400`, async () => {
    const t = testApp();
    const res = await t.call("/v1/embeddings", { json: { model: name, ...EMBED } });
    assert.equal(res.status, 400);
    const error = await errorOf(res);
    assert.equal(error.code, "invalid_value");
    assert.equal(error.param, "model");
    assert.equal(error.type, "invalid_request_error");
    assert.deepEqual(t.upstream, [], "nothing went upstream");
  });
}

for (const [what, name] of UNSAFE) {
  // A lone surrogate cannot be percent-encoded: no URL names it.
  if (what === "a lone surrogate") continue;
  Deno.test(`app refuses a deployment named with ${what} (URL path) with 400`, async () => {
    const t = testApp();
    const res = await t.call(
      `/openai/deployments/${encodeURIComponent(name)}/embeddings?api-version=${VERSION}`,
      { json: EMBED },
    );
    assert.equal(res.status, 400);
    const error = await errorOf(res);
    assert.equal(error.code, "invalid_value");
    assert.equal(error.param, "deployment-id");
    assert.deepEqual(t.upstream, [], "nothing went upstream");
  });
}

Deno.test("the 400 for a bad deployment name quotes only a short, markup-free piece of it", async () => {
  const t = testApp();
  const name = `<img src=x onerror=alert(1)>/${"x".repeat(500)}`;
  const res = await t.call("/v1/embeddings", { json: { model: name, ...EMBED } });
  assert.equal(res.status, 400);
  const { message } = await errorOf(res);
  assert.doesNotMatch(message, /[<>]/);
  assert.ok(!message.includes("x".repeat(100)), "the name is not echoed whole");
  assert.ok(message.length < 400, message);
});

for (
  const name of [
    "gpt-4o",
    "gpt-35-turbo",
    "text-embedding-3-small",
    "my_model.v2",
    "My.Deployment_01-x",
    "d".repeat(64),
    "d".repeat(255),
  ]
) {
  Deno.test(`app still forwards the deployment name ${name.slice(0, 24)} (${name.length} chars)`, async () => {
    const t = testApp({
      emulator: { deployments: [{ name, model: "text-embedding-3-small" }] },
    });
    const res = await t.call("/v1/embeddings", { json: { model: name, ...EMBED } });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.deepEqual(t.upstream, [
      `POST /openai/deployments/${name}/embeddings?api-version=${VERSION}`,
    ]);
  });
}

Deno.test("an alias in models may hold a slash: only the name sent upstream is checked", async () => {
  const t = testApp({ models: { "openai/text-embedding-3-small": "text-embedding-3-small" } });
  const res = await t.call("/v1/embeddings", {
    json: { model: "openai/text-embedding-3-small", ...EMBED },
  });
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.deepEqual(t.upstream, [
    `POST /openai/deployments/text-embedding-3-small/embeddings?api-version=${VERSION}`,
  ]);
});

Deno.test("with an allowlist, a bad name not in it is still a 404 (the allowlist answers first)", async () => {
  const t = testApp({ deployments: ["gpt-4o"] });
  const res = await t.call("/v1/embeddings", { json: { model: "a/b", ...EMBED } });
  assert.equal(res.status, 404);
  assert.equal((await errorOf(res)).code, "DeploymentNotFound");
  assert.deepEqual(t.upstream, []);
});
