// The edge Worker (edge/worker.ts bundled by compat/worker/build.sh) in workerd through miniflare
// with round-robin weights from the environment (AOAI_EDGE_UPSTREAM_WEIGHTS=3,1) and a client key
// with its own requests-per-minute limit (AOAI_EDGE_KEY_RPM): the primary takes three turns in
// four, and the limited key is refused once its own limit is spent while the other key is not.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./_worker.mjs";

const KEYS = ["worker-weights-key-one", "worker-weights-key-two"];
let worker;

before(async () => {
  worker = await startWorker({
    bindings: {
      AOAI_EDGE_KEYS: KEYS.join(","),
      AOAI_EDGE_UPSTREAM_BALANCE: "round-robin",
      AOAI_EDGE_UPSTREAM_WEIGHTS: "3,1",
      AOAI_EDGE_KEY_RPM: "-,2",
    },
    fallback: true,
  });
});

after(async () => {
  await worker?.close();
});

function chat(key) {
  return worker.mf.dispatchFetch(`${worker.base}/v1/chat/completions`, {
    method: "POST",
    headers: { "api-key": key, "content-type": "application/json" },
    body: JSON.stringify({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    }),
  });
}

describe("edge worker with AOAI_EDGE_UPSTREAM_WEIGHTS and AOAI_EDGE_KEY_RPM in workerd (miniflare)", () => {
  test("gives the primary three turns in four", async () => {
    const answered = [];
    for (let i = 0; i < 8; i++) {
      const res = await chat(KEYS[0]);
      assert.equal(res.status, 200);
      await res.body?.cancel();
      answered.push(res.headers.get("x-aoai-upstream"));
    }
    assert.equal(
      answered.filter((u) => u === "0").length,
      6,
      answered.join(","),
    );
    assert.equal(
      answered.filter((u) => u === "1").length,
      2,
      answered.join(","),
    );
  });

  test("refuses the second key past its own limit, not the first", async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await chat(KEYS[1]);
      statuses.push(res.status);
      await res.body?.cancel();
    }
    assert.deepEqual(statuses, [200, 200, 429]);
    const other = await chat(KEYS[0]);
    assert.equal(other.status, 200);
    await other.body?.cancel();
  });
});
