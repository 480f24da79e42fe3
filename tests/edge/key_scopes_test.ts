import assert from "node:assert/strict";
import { MemoryCache } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, testApp } from "./_helpers.ts";

const EMBEDDER = "indexer-client-key-0002";
const NOTHING = "no-deployment-key-0003";
const hi = { messages: [{ role: "user", content: "hi" }] };

/** An app where KEY may use everything, EMBEDDER only embeddings, NOTHING no deployment. */
function scopedApp(options: Parameters<typeof testApp>[0] = {}) {
  return testApp({
    clientKeys: [
      KEY,
      { key: EMBEDDER, deployments: ["text-embedding-3-small"] },
      { key: NOTHING, deployments: [] },
    ],
    ...options,
  });
}

const as = (key: string) => ({ headers: { "api-key": key } });

Deno.test("createEdgeApp() lets a scoped client key use only its deployments: 403 for the others, nothing upstream", async () => {
  const t = scopedApp();
  const embeddings = { json: { input: "hello" }, ...as(EMBEDDER) };
  const ok = await t.call(azurePath("text-embedding-3-small", "embeddings"), embeddings);
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  assert.equal(t.upstream.length, 1);
  for (
    const [path, json] of [
      [azurePath("gpt-4o", "chat/completions"), hi],
      ["/openai/v1/chat/completions", { model: "gpt-4o", ...hi }],
      ["/v1/completions", { model: "gpt-35-turbo-instruct", prompt: "hi" }],
    ] as const
  ) {
    const res = await t.call(path, { json, ...as(EMBEDDER) });
    assert.equal(res.status, 403, path);
    const error = await errorOf(res);
    assert.equal(error.code, "DeploymentNotAllowedForKey");
    assert.match(error.message, /This client key may not use the deployment "gpt-/);
    assert.ok(!error.message.includes(EMBEDDER), "the key is not echoed");
  }
  // An empty list allows nothing; the unscoped key everything.
  const none = await t.call(azurePath("text-embedding-3-small", "embeddings"), {
    json: { input: "hello" },
    ...as(NOTHING),
  });
  assert.equal(none.status, 403);
  await none.body?.cancel();
  const all = await t.call(azurePath("gpt-4o", "chat/completions"), { json: hi });
  assert.equal(all.status, 200);
  await all.body?.cancel();
  assert.equal(t.upstream.length, 2);
});

Deno.test("createEdgeApp() refuses a scoped key a cache hit stored through another key", async () => {
  const t = scopedApp({ cache: new MemoryCache(), chatCache: true });
  const chat = { json: { ...hi, temperature: 0 } };
  const miss = await t.call(azurePath("gpt-4o", "chat/completions"), chat);
  assert.equal(miss.status, 200);
  await miss.body?.cancel();
  const hit = await t.call(azurePath("gpt-4o", "chat/completions"), chat);
  assert.equal(hit.headers.get("x-aoai-cache"), "hit");
  await hit.body?.cancel();
  const refused = await t.call(azurePath("gpt-4o", "chat/completions"), {
    ...chat,
    ...as(EMBEDDER),
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.headers.get("x-aoai-cache"), null);
  await refused.body?.cancel();
});

Deno.test("createEdgeApp() key scopes name models aliases or their targets, and cover the DALL-E 2 operations", async () => {
  const t = testApp({
    models: { "embed": "text-embedding-3-small", "gpt-4o": "gpt-4o", "dall-e-2": "dall-e-2" },
    clientKeys: [
      KEY,
      { key: EMBEDDER, deployments: ["embed"] },
      { key: NOTHING, deployments: ["gpt-4o"] },
    ],
  });
  // The alias stands for its target, whichever name the client sends.
  for (const model of ["embed", "text-embedding-3-small"]) {
    const res = await t.call("/openai/v1/embeddings", {
      json: { model, input: "x" },
      ...as(EMBEDDER),
    });
    assert.equal(res.status, 200, model);
    await res.body?.cancel();
  }
  const submit = "/openai/images/generations:submit?api-version=2023-06-01-preview";
  const refused = await t.call(submit, { json: { prompt: "a fox" }, ...as(NOTHING) });
  assert.equal(refused.status, 403);
  assert.match((await errorOf(refused)).message, /"dall-e-2"/);
  const poll = await t.call(
    "/openai/operations/images/abc?api-version=2023-06-01-preview",
    as(NOTHING),
  );
  assert.equal(poll.status, 403);
  await poll.body?.cancel();
  assert.equal(t.upstream.length, 2);
});

Deno.test("createEdgeApp() checks scoped client keys when it is created, without quoting a key", () => {
  const bad = [
    [{ key: "short" }, /clientKeys\[0\]\.key/],
    [
      { key: "long-enough-key", deployments: "gpt-4o" },
      /clientKeys\[0\]\.deployments must be an array/,
    ],
    [
      { key: "long-enough-key", deployments: [""] },
      /clientKeys\[0\]\.deployments must be an array/,
    ],
  ] as const;
  for (const [entry, message] of bad) {
    assert.throws(() => testApp({ clientKeys: [entry as never] }), (err: Error) => {
      assert.match(err.message, message);
      assert.ok(!err.message.includes("long-enough-key"));
      return true;
    });
  }
});
