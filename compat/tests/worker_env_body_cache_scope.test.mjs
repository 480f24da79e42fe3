// The edge Worker (edge/worker.ts bundled by compat/worker/build.sh) in workerd through miniflare
// reads AOAI_EDGE_MAX_JSON_BYTES (a 1.2 MB embeddings batch: 413 under the 1 MiB default, 200 with
// the limit raised) and AOAI_EDGE_CACHE_SCOPE (client: one client key's cached texts in Workers KV
// are never another key's hits); a bad value of either answers 500 EdgeMisconfigured naming the
// variable and never quoting the value (and saying nosniff, as the app's answers do).
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./_worker.mjs";

const KEY_A = "worker-scope-key-a-1";
const KEY_B = "worker-scope-key-b-2";
const EMBEDDINGS = "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21";
const started = [];

after(async () => {
  for (const worker of started) await worker.close();
});

async function start(bindings, options = {}) {
  const worker = await startWorker({
    options,
    bindings: { AOAI_EDGE_KEYS: `${KEY_A},${KEY_B}`, ...bindings },
  });
  started.push(worker);
  return worker;
}

function embed(worker, body, key = KEY_A) {
  return worker.mf.dispatchFetch(`${worker.base}${EMBEDDINGS}`, {
    method: "POST",
    headers: { "api-key": key, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** About 1.2 MB of JSON: 150 distinct inputs of 8000 characters, vectors of 8 dimensions. */
function bigBatch() {
  const input = Array.from(
    { length: 150 },
    (_, i) => `chunk ${i} ` + "lorem ".repeat(1332),
  );
  const body = JSON.stringify({ input, dimensions: 8 });
  assert.ok(
    body.length > 1_150_000 && body.length < 1_250_000,
    `${body.length}`,
  );
  return body;
}

describe("edge worker: AOAI_EDGE_MAX_JSON_BYTES and AOAI_EDGE_CACHE_SCOPE in workerd (miniflare)", () => {
  test("a 1.2 MB embeddings body: 413 under the default, 200 with AOAI_EDGE_MAX_JSON_BYTES=2000000", async () => {
    const body = bigBatch();
    const plain = await start({});
    const refused = await embed(plain, body);
    assert.equal(refused.status, 413);
    const error = (await refused.json()).error;
    assert.equal(error.code, "request_too_large");
    assert.match(error.message, /AOAI_EDGE_MAX_JSON_BYTES/);

    const raised = await start({ AOAI_EDGE_MAX_JSON_BYTES: "2000000" });
    const served = await embed(raised, body);
    const text = await served.text();
    assert.equal(served.status, 200, text.slice(0, 300));
    const json = JSON.parse(text);
    assert.equal(json.data.length, 150);
    assert.equal(json.data[0].embedding.length, 8);
  });

  test("AOAI_EDGE_CACHE_SCOPE=client with Workers KV: key A misses then hits, key B misses on the same text", async () => {
    const worker = await start({ AOAI_EDGE_CACHE_SCOPE: "client" }, {
      kvNamespaces: ["AOAI_CACHE"],
    });
    const kv = await worker.mf.getKVNamespace("AOAI_CACHE");
    // The vector entries (a model entry is written beside each).
    const vectors = async () =>
      (await kv.list()).keys.map((k) => k.name).filter((name) => name.includes(":emb:"));
    const body = { input: "scoped to one client key" };
    const first = await embed(worker, body, KEY_A);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("x-aoai-cache"), "miss");
    const miss = await first.json();
    // The write runs in waitUntil: wait (bounded) until it reaches KV.
    for (let i = 0; i < 200 && (await vectors()).length < 1; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal((await vectors()).length, 1);

    const again = await embed(worker, body, KEY_A);
    assert.equal(again.headers.get("x-aoai-cache"), "hit");
    const hit = await again.json();
    assert.deepEqual(hit.data, miss.data);
    assert.equal(hit.usage.prompt_tokens, 0);

    const other = await embed(worker, body, KEY_B);
    assert.equal(other.status, 200);
    assert.equal(other.headers.get("x-aoai-cache"), "miss");
    const otherJson = await other.json();
    assert.ok(otherJson.usage.prompt_tokens > 0);
    assert.deepEqual(otherJson.data, miss.data);

    // Key B's vector of the same text is an entry of its own.
    for (let i = 0; i < 200 && (await vectors()).length < 2; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal((await vectors()).length, 2);
    const keys = (await kv.list()).keys.map((k) => k.name);
    assert.ok(
      !keys.some((k) => k.includes(KEY_A) || k.includes(KEY_B)),
      keys.join(),
    );
  });

  test("a bad AOAI_EDGE_CACHE_SCOPE or AOAI_EDGE_MAX_JSON_BYTES answers 500 EdgeMisconfigured, not quoting it", async () => {
    for (
      const [name, value] of [
        ["AOAI_EDGE_CACHE_SCOPE", "tenant-k3y-Xy91"],
        ["AOAI_EDGE_MAX_JSON_BYTES", "edge-k3y-Xy91"],
        ["AOAI_EDGE_MAX_JSON_BYTES", "2e6"],
      ]
    ) {
      const worker = await start({ [name]: value });
      const res = await embed(worker, { input: "x" });
      const text = await res.text();
      assert.equal(res.status, 500, `${name}=${value}: ${text}`);
      const error = JSON.parse(text).error;
      assert.equal(error.code, "EdgeMisconfigured");
      assert.match(error.message, new RegExp(name));
      assert.ok(!text.includes(value), text);
      // The Worker's own answer, as the app's are: never sniffed.
      assert.equal(
        res.headers.get("x-content-type-options"),
        "nosniff",
        `${name}=${value}`,
      );
    }
  });
});
