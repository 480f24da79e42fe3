// The edge Worker in workerd (miniflare) relays upstream answers the pass-through reworked as the
// Deno app does: a gateway's HTML error page becomes a JSON UpstreamError with the upstream's
// status and retry-after, a 304 has no body, a body over maxJsonBytes gets 413 request_too_large
// (declared or streamed; one of exactly the limit passes).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./_worker.mjs";

const KEY = "worker-upstream-errors-key-1";
let worker;

before(async () => {
  worker = await startWorker({
    bindings: { AOAI_EDGE_KEYS: KEY },
    reply(request) {
      const path = new URL(request.url).pathname;
      if (path.includes("/deployments/gateway-page/")) {
        return new Response(
          "<html><body><h1>502 Bad Gateway</h1></body></html>",
          {
            status: 502,
            headers: { "content-type": "text/html", "retry-after": "7" },
          },
        );
      }
      if (path.endsWith("/operations/images/op-304")) {
        return new Response(null, { status: 304 });
      }
      return undefined;
    },
  });
});

after(async () => {
  await worker?.close();
});

function call(path, init = {}) {
  return worker.mf.dispatchFetch(`${worker.base}${path}`, {
    ...init,
    headers: { "api-key": KEY, ...init.headers },
  });
}

describe("edge worker: upstream errors and body limits in workerd (miniflare)", () => {
  test("a gateway's HTML error page becomes a JSON UpstreamError keeping status and retry-after", async () => {
    const res = await call(
      "/openai/deployments/gateway-page/completions?api-version=2024-10-21",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ prompt: "hi" }),
      },
    );
    assert.equal(res.status, 502);
    assert.equal(res.headers.get("retry-after"), "7");
    assert.equal(res.headers.get("content-type"), "application/json");
    const body = await res.json();
    assert.equal(body.error.code, "UpstreamError");
    assert.ok(!JSON.stringify(body).includes("azure-upstream-key"));
  });

  test("an upstream 304 is relayed without a body", async () => {
    const res = await call(
      "/openai/operations/images/op-304?api-version=2023-06-01-preview",
    );
    assert.equal(res.status, 304);
    assert.equal(await res.text(), "");
  });

  test("a JSON body over 1 MiB gets 413 request_too_large, declared or streamed; one of exactly 1 MiB passes", async () => {
    const path = "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21";
    const exact = (size) => {
      const head = '{"input":"';
      return head + "x".repeat(size - head.length - 2) + '"}';
    };
    const limit = 1024 * 1024;
    const over = await call(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: exact(limit + 1),
    });
    assert.equal(over.status, 413);
    assert.equal((await over.json()).error.code, "request_too_large");
    const bytes = new TextEncoder().encode(exact(limit + 1));
    const streamed = await call(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new ReadableStream({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 64 * 1024) {
            controller.enqueue(bytes.subarray(at, at + 64 * 1024));
          }
          controller.close();
        },
      }),
      duplex: "half",
    });
    assert.equal(streamed.status, 413);
    assert.equal((await streamed.json()).error.code, "request_too_large");
    const at = await call(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: exact(limit),
    });
    assert.notEqual(at.status, 413);
    await at.body?.cancel();
  });
});
