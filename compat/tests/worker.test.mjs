// The edge app's Cloudflare Worker (edge/worker.ts bundled by compat/worker/build.sh) running in
// workerd through miniflare, with a KV namespace, in front of the emulator served by node:http.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { AzureOpenAI } from "openai";
import { startWorker } from "./_worker.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const CLIENT_KEY = "worker-client-key-1";
let emulator;
let upstream;
let mf;
let base;
let worker;

before(async () => {
  worker = await startWorker({
    options: { kvNamespaces: ["AOAI_CACHE"] },
    bindings: {
      AOAI_EDGE_KEYS: `${CLIENT_KEY},second-client-key`,
      AOAI_EDGE_CHAT_CACHE: "1",
    },
  });
  ({ mf, base, emulator } = worker);
  upstream = { url: worker.upstreamUrl };
});

after(async () => {
  await worker?.close();
});

function post(path, body, headers = { "api-key": CLIENT_KEY }) {
  return mf.dispatchFetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

async function kvKeys() {
  const kv = await mf.getKVNamespace("AOAI_CACHE");
  return (await kv.list()).keys.map((k) => k.name);
}

/** Waits (bounded) until the Worker's waitUntil writes reach KV. */
async function kvSettles(count) {
  for (let i = 0; i < 200; i++) {
    if ((await kvKeys()).length >= count) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`KV never held ${count} keys`);
}

describe("edge worker in workerd (miniflare)", () => {
  test("refuses requests without a client key or with the upstream key", async () => {
    const before = emulator.stats.requests;
    const none = await post("/v1/embeddings", {
      model: "text-embedding-3-small",
      input: "x",
    }, {});
    assert.equal(none.status, 401);
    const body = await none.json();
    assert.equal(body.error.code, "401");
    assert.equal(body.error.type, "invalid_request_error");
    const wrong = await post("/v1/embeddings", {
      model: "text-embedding-3-small",
      input: "x",
    }, {
      "api-key": "azure-upstream-key",
    });
    assert.equal(wrong.status, 401);
    await wrong.arrayBuffer();
    assert.equal(
      emulator.stats.requests,
      before,
      "nothing reached the upstream",
    );
  });

  test("embeddings: a miss, then a hit from Workers KV with identical vectors", async () => {
    const input = ["workers kv one", "workers kv two"];
    const path = "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21";
    const first = await post(path, { input });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("x-aoai-cache"), "miss");
    const miss = await first.json();
    await kvSettles(2);
    const second = await post(path, { input });
    assert.equal(second.headers.get("x-aoai-cache"), "hit");
    const hit = await second.json();
    assert.deepEqual(hit.data, miss.data);
    assert.equal(hit.usage.prompt_tokens, 0);
    const keys = await kvKeys();
    assert.ok(keys.every((k) => k.startsWith("aoai-cache:")), keys.join());
    assert.ok(
      !keys.some((k) => k.includes(CLIENT_KEY) || k.includes("azure-upstream-key")),
    );
  });

  test("streams chat completions through the Worker as SSE", async () => {
    const res = await post("/v1/chat/completions", {
      model: "gpt-4o",
      stream: true,
      messages: [{ role: "user", content: "stream through workerd" }],
    }, { authorization: "Bearer second-client-key" });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /text\/event-stream/);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let reads = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      reads++;
      text += decoder.decode(value, { stream: true });
    }
    const events = text.split("\n\n").filter((e) => e.startsWith("data: ")).map(
      (e) => e.slice(6),
    );
    assert.equal(events.at(-1), "[DONE]");
    const content = events.slice(0, -1).map((e) => JSON.parse(e))
      .map((c) => c.choices[0]?.delta?.content ?? "").join("");
    assert.equal(content, "You said: stream through workerd");
    assert.ok(reads >= 1);
  });

  test("the official AzureOpenAI SDK streams and embeds through the Worker", async () => {
    const client = new AzureOpenAI({
      endpoint: base,
      apiKey: CLIENT_KEY,
      apiVersion: "2024-10-21",
      maxRetries: 0,
      fetch: (url, init) => mf.dispatchFetch(url, init),
    });
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      stream: true,
      messages: [{ role: "user", content: "sdk via worker" }],
    });
    let content = "";
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta?.content ?? "";
    }
    assert.equal(content, "You said: sdk via worker");
    const emb = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: "sdk",
    });
    assert.equal(emb.data[0].embedding.length, 1536);
  });

  test("answers 500 naming the missing binding when AOAI_EDGE_KEYS is not set", async () => {
    const bare = new Miniflare({
      modules: true,
      scriptPath: `${here}../.build/edge_worker.mjs`,
      compatibilityDate: "2026-04-01",
      bindings: {
        AZURE_OPENAI_ENDPOINT: upstream.url,
        AZURE_OPENAI_API_KEY: "azure-upstream-key",
      },
    });
    try {
      const res = await bare.dispatchFetch("http://localhost/v1/embeddings", {
        method: "POST",
        body: "{}",
      });
      assert.equal(res.status, 500);
      const body = await res.json();
      assert.equal(body.error.code, "EdgeMisconfigured");
      assert.match(body.error.message, /AOAI_EDGE_KEYS/);
      assert.ok(!JSON.stringify(body).includes("azure-upstream-key"));
    } finally {
      await bare.dispose();
    }
  });
});
