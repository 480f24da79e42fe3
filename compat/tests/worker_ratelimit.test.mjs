// The edge Worker (edge/worker.ts bundled by compat/worker/build.sh) in workerd through miniflare,
// with a real Workers Rate Limiting binding (`ratelimits`) named by AOAI_EDGE_RATE_LIMITER.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./_worker.mjs";

const KEYS = [
  "worker-client-key-1",
  "worker-client-key-2",
  "worker-client-key-3",
];
let emulator;
let mf;
let base;
let worker;

before(async () => {
  worker = await startWorker({
    options: { ratelimits: { AOAI_RATE_LIMIT: { simple: { limit: 2, period: 60 } } } },
    bindings: { AOAI_EDGE_KEYS: KEYS.join(","), AOAI_EDGE_RATE_LIMITER: "AOAI_RATE_LIMIT" },
  });
  ({ mf, base, emulator } = worker);
});

after(async () => {
  await worker?.close();
});

async function embed(key) {
  const res = await mf.dispatchFetch(`${base}/v1/embeddings`, {
    method: "POST",
    headers: { "api-key": key, "content-type": "application/json" },
    body: JSON.stringify({ model: "text-embedding-3-small", input: "x" }),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    body: await res.text(),
  };
}

describe("edge worker with a Rate Limiting binding in workerd (miniflare)", () => {
  test("limits each client key with the binding and answers 429 with retry-after", async () => {
    // Miniflare's binding counts in fixed windows of the wall clock's minutes: a run that
    // crosses a minute boundary is repeated with the next (still unused) key.
    const minute = () => Math.floor(Date.now() / 60_000);
    for (const [i, key] of KEYS.slice(0, 2).entries()) {
      const start = minute();
      const before = emulator.stats.requests;
      const statuses = [];
      for (let n = 0; n < 3; n++) statuses.push(await embed(key));
      if (minute() !== start && i === 0) continue;
      assert.deepEqual(statuses.map((r) => r.status), [200, 200, 429]);
      assert.equal(statuses[2].retryAfter, "60");
      assert.equal(JSON.parse(statuses[2].body).error.code, "429");
      assert.equal(
        emulator.stats.requests - before,
        2,
        "the refused request never went upstream",
      );
      break;
    }
    assert.equal(
      (await embed(KEYS[2])).status,
      200,
      "another key has its own count",
    );
  });
});
