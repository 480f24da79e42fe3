// The edge Worker (edge/worker.ts bundled by compat/worker/build.sh) in workerd through miniflare
// with AOAI_EDGE_TOKEN_LIMIT_TPM: the budget is counted in the isolate's memory and charged inside
// ctx.waitUntil after the reply, here by workerd itself.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./_worker.mjs";

const KEYS = ["worker-client-key-1", "worker-client-key-2"];
let emulator;
let mf;
let base;
let worker;

before(async () => {
  worker = await startWorker({
    // 60 tokens a minute: one embeddings request of ~40 input words spends it.
    bindings: {
      AOAI_EDGE_KEYS: KEYS.join(","),
      AOAI_EDGE_TOKEN_LIMIT_TPM: "60",
    },
  });
  ({ mf, base, emulator } = worker);
});

after(async () => {
  await worker?.close();
});

const INPUT = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");

async function embed(key) {
  const res = await mf.dispatchFetch(`${base}/v1/embeddings`, {
    method: "POST",
    headers: { "api-key": key, "content-type": "application/json" },
    body: JSON.stringify({ model: "text-embedding-3-small", input: INPUT }),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    body: await res.json(),
  };
}

describe("edge worker with a token budget in workerd (miniflare)", () => {
  test("charges a reply's usage after it and refuses the key once the budget is spent", async () => {
    const first = await embed(KEYS[0]);
    assert.equal(first.status, 200);
    assert.ok(
      first.body.usage.total_tokens >= 60,
      `usage ${first.body.usage.total_tokens}`,
    );
    // The charge runs in ctx.waitUntil: wait (bounded) until it shows as a refusal.
    let refused;
    for (let i = 0; i < 100; i++) {
      refused = await embed(KEYS[0]);
      if (refused.status === 429) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.retryAfter) >= 1);
    assert.match(
      refused.body.error.message,
      /used more than 60 tokens per minute/,
    );
    const before = emulator.stats.requests;
    assert.equal((await embed(KEYS[0])).status, 429);
    assert.equal(
      emulator.stats.requests,
      before,
      "a refused request never goes upstream",
    );
    assert.equal(
      (await embed(KEYS[1])).status,
      200,
      "the other key has its own budget",
    );
  });
});
