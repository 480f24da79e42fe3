// The edge Worker (edge/worker.ts bundled by compat/worker/build.sh) in workerd through miniflare
// with [vars] written unquoted in wrangler.toml (`AOAI_EDGE_RATE_LIMIT_RPM = 1`,
// `AOAI_EDGE_CHAT_CACHE = true`): wrangler binds those as JSON values, so the Worker gets a number
// or a boolean, not a string. Numbers and booleans are read as their text; an array or object
// answers 500 EdgeMisconfigured naming the variable, in JSON.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./_worker.mjs";

const KEY = "worker-json-vars-key";
const started = [];

after(async () => {
  for (const worker of started) await worker.close();
});

async function start(bindings) {
  const worker = await startWorker({
    options: { kvNamespaces: ["AOAI_CACHE"] },
    bindings: { AOAI_EDGE_KEYS: KEY, ...bindings },
  });
  started.push(worker);
  return worker;
}

function chat(worker) {
  return worker.mf.dispatchFetch(`${worker.base}/v1/chat/completions`, {
    method: "POST",
    headers: { "api-key": KEY, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
  });
}

describe("edge worker with unquoted [vars] (JSON bindings) in workerd (miniflare)", () => {
  test("a number and a boolean are read as their text", async () => {
    const worker = await start({ AOAI_EDGE_RATE_LIMIT_RPM: 1, AOAI_EDGE_CHAT_CACHE: true });
    const statuses = [];
    for (let i = 0; i < 2; i++) {
      const res = await chat(worker);
      statuses.push(res.status);
      const text = await res.text();
      if (res.status === 500) statuses.push(text);
    }
    assert.deepEqual(statuses, [200, 429]);
  });

  test("an array or an object answers 500 EdgeMisconfigured naming the variable", async () => {
    for (
      const bindings of [
        { AOAI_EDGE_DEPLOYMENTS: ["gpt-4o", "text-embedding-3-small"] },
        { AOAI_EDGE_RATE_LIMITER: { name: "AOAI_RATE_LIMIT" } },
      ]
    ) {
      const worker = await start(bindings);
      const res = await chat(worker);
      assert.equal(res.status, 500);
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
      const body = await res.json();
      assert.equal(body.error.code, "EdgeMisconfigured");
      const [name] = Object.keys(bindings);
      assert.match(body.error.message, new RegExp(`${name} must be text`));
    }
  });
});
