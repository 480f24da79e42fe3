// The edge Worker (edge/worker.ts bundled by compat/worker/build.sh) in workerd through miniflare,
// with Workers KV and the chat cache: every answer of the app says x-content-type-options: nosniff
// (JSON, SSE, cache hits, the app's own 401 / 404 / 413, a CORS preflight), and the client's x-ms-client-request-id
// comes back on a cache hit (embeddings; chat replayed as SSE) and on the app's own 404 and 413 for
// a valid client key, but not on a 401 (whether it came back would tell whether it held a key).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./_worker.mjs";

const KEY = "worker-nosniff-key-1";
const EMBEDDINGS = "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21";
const CHAT = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
let worker;
let kv;

before(async () => {
  worker = await startWorker({
    options: { kvNamespaces: ["AOAI_CACHE"] },
    bindings: {
      AOAI_EDGE_KEYS: KEY,
      AOAI_EDGE_CHAT_CACHE: "1",
      AOAI_EDGE_CORS_ORIGINS: "https://app.example",
    },
  });
  kv = await worker.mf.getKVNamespace("AOAI_CACHE");
});

after(async () => {
  await worker?.close();
});

/** POSTs `body` to `path` with the client key (unless `headers` gives other auth) and `id`. */
function post(path, body, id, headers = { "api-key": KEY }) {
  return worker.mf.dispatchFetch(`${worker.base}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-ms-client-request-id": id,
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** The headers these tests pin, one object: a failure shows all of them. */
function pinned(res) {
  return {
    status: res.status,
    cache: res.headers.get("x-aoai-cache"),
    id: res.headers.get("x-ms-client-request-id"),
    nosniff: res.headers.get("x-content-type-options"),
  };
}

/** Waits (bounded) until KV holds a key containing `part` (cache writes run in waitUntil). */
async function written(part) {
  for (let i = 0; i < 200; i++) {
    if ((await kv.list()).keys.some((k) => k.name.includes(part))) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`KV never held a ${part} key`);
}

describe("edge worker: nosniff and the client request id echo in workerd (miniflare)", () => {
  test("an embeddings miss then hit: both nosniff, the hit echoes the id the upstream never saw", async () => {
    const body = { input: "nosniff and echo" };
    const miss = await post(EMBEDDINGS, body, "s15-warm-up");
    await miss.arrayBuffer();
    await written(":emb:");
    const hit = await post(EMBEDDINGS, body, "s15-embeddings-hit");
    await hit.arrayBuffer();
    // The emulator echoes the id of the request it answered; the hit's comes from the app.
    assert.deepEqual([pinned(miss), pinned(hit)], [
      { status: 200, cache: "miss", id: "s15-warm-up", nosniff: "nosniff" },
      {
        status: 200,
        cache: "hit",
        id: "s15-embeddings-hit",
        nosniff: "nosniff",
      },
    ]);
  });

  test("a streamed chat miss then its SSE replay: nosniff, the replay echoes the id", async () => {
    const body = {
      messages: [{ role: "user", content: "replay me" }],
      temperature: 0,
      stream: true,
    };
    const miss = await post(CHAT, body, "s15-chat-warm-up");
    assert.match(miss.headers.get("content-type") ?? "", /^text\/event-stream/);
    assert.match(await miss.text(), /data: \[DONE\]\n\n$/);
    // The entry is written in waitUntil: wait (bounded) for it.
    const keys = (await kv.list()).keys.length;
    for (let i = 0; i < 200 && (await kv.list()).keys.length === keys; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const hit = await post(CHAT, body, "s15-chat-hit");
    assert.match(hit.headers.get("content-type") ?? "", /^text\/event-stream/);
    assert.match(await hit.text(), /data: \[DONE\]\n\n$/);
    assert.deepEqual([pinned(miss), pinned(hit)], [
      {
        status: 200,
        cache: "miss",
        id: "s15-chat-warm-up",
        nosniff: "nosniff",
      },
      { status: 200, cache: "hit", id: "s15-chat-hit", nosniff: "nosniff" },
    ]);
    assert.equal(hit.headers.get("x-accel-buffering"), "no");
  });

  test("the app's own 404 and 413 for a valid key echo the id and say nosniff", async () => {
    const unknown = await post("/openai/not-a-route", {}, "s15-not-found");
    await unknown.arrayBuffer();
    const big = JSON.stringify({ input: "x".repeat(1024 * 1024) });
    const tooLarge = await post(EMBEDDINGS, big, "s15-too-large");
    assert.equal((await tooLarge.json()).error.code, "request_too_large");
    assert.deepEqual([pinned(unknown), pinned(tooLarge)], [
      { status: 404, cache: null, id: "s15-not-found", nosniff: "nosniff" },
      { status: 413, cache: null, id: "s15-too-large", nosniff: "nosniff" },
    ]);
  });

  test("a 401 (no key, a wrong key) says nosniff and echoes no id", async () => {
    for (const headers of [{}, { "api-key": "not-a-client-key-1" }]) {
      const res = await post(
        EMBEDDINGS,
        { input: "x" },
        "s15-unauthorized",
        headers,
      );
      await res.arrayBuffer();
      assert.deepEqual(pinned(res), {
        status: 401,
        cache: null,
        id: null,
        nosniff: "nosniff",
      });
    }
  });

  test("a CORS preflight says nosniff", async () => {
    const res = await worker.mf.dispatchFetch(`${worker.base}${EMBEDDINGS}`, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "api-key, content-type",
      },
    });
    await res.arrayBuffer();
    assert.equal(
      res.headers.get("access-control-allow-origin"),
      "https://app.example",
    );
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  });
});
