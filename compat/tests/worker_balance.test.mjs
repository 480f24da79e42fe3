// The edge Worker (edge/worker.ts bundled by compat/worker/build.sh) in workerd through miniflare
// with a fallback endpoint and AOAI_EDGE_UPSTREAM_BALANCE=round-robin: requests take turns over
// the two upstreams (both the local emulator here; x-aoai-upstream names the one used).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./_worker.mjs";

const KEY = "worker-balance-client-key";
let worker;

before(async () => {
  worker = await startWorker({
    bindings: {
      AOAI_EDGE_KEYS: KEY,
      AOAI_EDGE_UPSTREAM_BALANCE: "round-robin",
    },
    // The fallback is the same emulator, reached under another host name.
    fallback: true,
  });
});

after(async () => {
  await worker?.close();
});

describe("edge worker with AOAI_EDGE_UPSTREAM_BALANCE=round-robin in workerd (miniflare)", () => {
  test("sends requests to the primary and the fallback in turn", async () => {
    const answered = [];
    for (let i = 0; i < 4; i++) {
      const res = await worker.mf.dispatchFetch(
        `${worker.base}/v1/chat/completions`,
        {
          method: "POST",
          headers: { "api-key": KEY, "content-type": "application/json" },
          body: JSON.stringify({
            model: "gpt-4o",
            messages: [{ role: "user", content: "hi" }],
          }),
        },
      );
      assert.equal(res.status, 200);
      assert.equal(
        (await res.json()).choices[0].message.content,
        "You said: hi",
      );
      answered.push(res.headers.get("x-aoai-upstream"));
    }
    assert.deepEqual(answered, ["0", "1", "0", "1"]);
    assert.equal(worker.emulator.stats.requests, 4);
  });
});
