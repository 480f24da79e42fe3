/**
 * A JSON reply (embeddings, chat and completions without stream, images, the /v1 routes) whose
 * upstream connection is cut mid-body: the app reports it through its `onError`, once, as
 * `<route>: the upstream's reply broke before its end (<cause>)` (Workers had no line at all: only
 * Deno.serve's onError saw the failed body), and the client's body still fails (never a clean
 * short JSON). With onRequest (the observed path) and without; with the embeddings and chat caches
 * (a miss), which store nothing cut. A whole reply, and a client that left, report nothing.
 */
import assert from "node:assert/strict";
import { createEdgeApp, type EdgeRequestEvent } from "../../edge/mod.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { KEY, testApp } from "./_helpers.ts";
import { cuttingJsonUpstream, JSON_ROUTES, postJson } from "./_json_cut_upstream.ts";
import { settle } from "./_stream_upstream.ts";

const AZURE_KEY = "Azure9Key0006JsonCutSecret";

for (const withEvents of [false, true]) {
  for (const [route, path, json] of JSON_ROUTES) {
    Deno.test(`a ${route} JSON reply cut mid-body (${path}${withEvents ? ", onRequest" : ""}) is one onError line; the client's read fails`, async () => {
      const { client } = cuttingJsonUpstream(AZURE_KEY);
      const errors: string[] = [];
      const events: EdgeRequestEvent[] = [];
      const app = createEdgeApp({
        upstream: client,
        clientKeys: [KEY],
        cache: new MemoryCache(),
        chatCache: true,
        onError: (message) => void errors.push(message),
        onRequest: withEvents ? (e) => void events.push(e) : undefined,
      });
      const res = await app.fetch(
        postJson("http://edge.test", path, { ...json, seed: 1, temperature: 0 }, KEY),
      );
      assert.equal(res.status, 200);
      await assert.rejects(res.text());
      await settle(() => !withEvents || events.length > 0);
      assert.deepEqual(errors.map((e) => e.replace(/\(.*\)$/, "(…)")), [
        `${route}: the upstream's reply broke before its end (…)`,
      ]);
      assert.match(
        errors[0],
        /\(APIConnectionError: [^()]*lost the connection reading the response\)$/,
      );
      if (withEvents) assert.equal(events[0]?.error, "UpstreamStreamError");
    });
  }
}

Deno.test("a whole JSON reply reports nothing", async () => {
  const errors: string[] = [];
  const t = testApp({ onError: (message) => void errors.push(message) });
  for (const [, path, json] of JSON_ROUTES) {
    const res = await t.call(path, { json });
    assert.equal(res.status, 200, path);
    await res.json();
  }
  assert.deepEqual(errors, []);
});

Deno.test("a JSON reply cut after the client left is not reported", async () => {
  const { client } = cuttingJsonUpstream(AZURE_KEY);
  const errors: string[] = [];
  const app = createEdgeApp({
    upstream: client,
    clientKeys: [KEY],
    onError: (message) => void errors.push(message),
  });
  const controller = new AbortController();
  const [, path, json] = JSON_ROUTES[0];
  const res = await app.fetch(postJson("http://edge.test", path, json, KEY, controller.signal));
  controller.abort();
  await res.text().catch(() => {});
  assert.deepEqual(errors, []);
});

Deno.test("cut embeddings and chat completions are not stored: the same call answered whole is a miss", async () => {
  const store = new MemoryCache();
  const errors: string[] = [];
  const cut = cuttingJsonUpstream(AZURE_KEY);
  const cutting = createEdgeApp({
    upstream: cut.client,
    clientKeys: [KEY],
    cache: store,
    chatCache: true,
    onError: (message) => void errors.push(message),
  });
  const whole = testApp({ cache: store, chatCache: true });
  const calls: [string, Record<string, unknown>][] = [
    [JSON_ROUTES[0][1], JSON_ROUTES[0][2]],
    [JSON_ROUTES[1][1], { ...JSON_ROUTES[1][2], seed: 1, temperature: 0 }],
  ];
  for (const [path, json] of calls) {
    const res = await cutting.fetch(postJson("http://edge.test", path, json, KEY));
    await assert.rejects(res.text());
    const again = await whole.call(path, { json });
    assert.equal(again.headers.get("x-aoai-cache"), "miss", path);
    await again.json();
  }
  assert.equal(cut.calls(), 2);
  assert.equal(errors.length, 2, errors.join("\n"));
});
