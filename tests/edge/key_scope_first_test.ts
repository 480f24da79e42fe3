import assert from "node:assert/strict";
import { azurePath, errorOf, KEY, testApp } from "./_helpers.ts";

const EMBEDDER = "indexer-client-key-0002";
const as = (key: string) => ({ headers: { "api-key": key } });

/** An app that allows two deployments; EMBEDDER may use only the embeddings one. */
function scopedApp(options: Parameters<typeof testApp>[0] = {}) {
  return testApp({
    deployments: ["gpt-4o", "text-embedding-3-small"],
    clientKeys: [KEY, { key: EMBEDDER, deployments: ["text-embedding-3-small"] }],
    ...options,
  });
}

Deno.test("createEdgeApp() answers a scoped key 403 alike for deployments that exist and that do not (no 404 tells them apart)", async () => {
  const t = scopedApp();
  for (
    const [path, json] of [
      [azurePath("gpt-4o", "chat/completions"), { messages: [{ role: "user", content: "hi" }] }],
      [azurePath("no-such-deployment", "chat/completions"), {
        messages: [{ role: "user", content: "hi" }],
      }],
      ["/openai/v1/chat/completions", {
        model: "gpt-4o",
        messages: [{ role: "user", content: "hi" }],
      }],
      ["/openai/v1/chat/completions", {
        model: "no-such-deployment",
        messages: [{ role: "user", content: "hi" }],
      }],
    ] as const
  ) {
    const res = await t.call(path, { json, ...as(EMBEDDER) });
    assert.equal(res.status, 403, `${path} ${json.model ?? ""}`);
    assert.equal((await errorOf(res)).code, "DeploymentNotAllowedForKey");
  }
  // The unscoped key still learns that a deployment does not exist.
  const unknown = await t.call(azurePath("no-such-deployment", "chat/completions"), {
    json: { messages: [{ role: "user", content: "hi" }] },
  });
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
  assert.equal(t.upstream.length, 0);
});

Deno.test("createEdgeApp() refuses a scoped key's path deployment before reading its body", async () => {
  const t = scopedApp();
  for (
    const init of [
      { body: "not json", headers: { "api-key": EMBEDDER, "content-type": "application/json" } },
      { body: "hi", headers: { "api-key": EMBEDDER, "content-type": "text/plain" } },
      {
        body: JSON.stringify({ messages: "not a list" }),
        headers: { "api-key": EMBEDDER, "content-type": "application/json" },
      },
    ]
  ) {
    const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
      method: "POST",
      ...init,
    });
    assert.equal(res.status, 403, init.body);
    await res.body?.cancel();
  }
});

Deno.test("createEdgeApp() does not count a scoped key's refused path deployment against its rate limit", async () => {
  const t = scopedApp({ rateLimit: { requestsPerMinute: 1 } });
  for (let i = 0; i < 3; i++) {
    const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
      json: { messages: [{ role: "user", content: "hi" }] },
      ...as(EMBEDDER),
    });
    assert.equal(res.status, 403);
    await res.body?.cancel();
  }
  const ok = await t.call(azurePath("text-embedding-3-small", "embeddings"), {
    json: { input: "hello" },
    ...as(EMBEDDER),
  });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
});
