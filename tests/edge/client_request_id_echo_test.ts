/**
 * `x-ms-client-request-id` comes back on every answer of an upstream call, not only on those the
 * upstream echoed it in: cache hits (embeddings, chat) and the errors the app makes in place of
 * an upstream's answer (502 unreachable). Echoed under the rules it is sent upstream by:
 * visible ASCII, up to 256 characters, holding no client key.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { azurePath, KEY, testApp } from "./_helpers.ts";

const ID = "5a0e8c1e-4d1b-4b8e-9a61-0c2f7f3b9d11";
const CHAT = { messages: [{ role: "user", content: "hi" }], temperature: 0 };
const EMBED = { model: "text-embedding-3-small", input: ["a", "b"] };

/** Calls `path` twice with `json`, each with its own id; the second call's response. */
async function second(
  t: ReturnType<typeof testApp>,
  path: string,
  json: unknown,
  id: string,
): Promise<Response> {
  const first = await t.call(path, { json, headers: { "x-ms-client-request-id": "warm-up" } });
  await first.text();
  return await t.call(path, { json, headers: { "x-ms-client-request-id": id } });
}

Deno.test("an embeddings cache hit echoes the client's x-ms-client-request-id", async () => {
  const t = testApp({ cache: new MemoryCache() });
  const hit = await second(t, "/v1/embeddings", EMBED, ID);
  await hit.text();
  assert.equal(hit.headers.get("x-aoai-cache"), "hit");
  assert.equal(hit.headers.get("x-ms-client-request-id"), ID);
  assert.equal(t.upstream.length, 1);
});

Deno.test("a non-streamed chat cache hit echoes the client's x-ms-client-request-id", async () => {
  const t = testApp({ cache: new MemoryCache(), chatCache: true });
  const hit = await second(t, azurePath("gpt-4o", "chat/completions"), CHAT, ID);
  await hit.text();
  assert.equal(hit.headers.get("x-aoai-cache"), "hit");
  assert.equal(hit.headers.get("x-ms-client-request-id"), ID);
});

Deno.test({
  name:
    "a chat cache hit replayed as SSE echoes the client's x-ms-client-request-id and has a relayed stream's headers",
  fn: async () => {
    const t = testApp({ cache: new MemoryCache(), chatCache: true });
    const path = azurePath("gpt-4o", "chat/completions");
    const hit = await second(t, path, { ...CHAT, stream: true }, ID);
    await hit.text();
    assert.equal(hit.headers.get("x-aoai-cache"), "hit");
    assert.equal(hit.headers.get("x-ms-client-request-id"), ID);
    // Sent as a relayed stream is: no proxy (nginx) holds it back.
    assert.equal(hit.headers.get("x-accel-buffering"), "no");
    assert.equal(hit.headers.get("cache-control"), "no-cache");
  },
});

Deno.test("a hit does not echo an id it would not send upstream", async () => {
  for (const id of ["x".repeat(257), "has space", `id-${KEY}`]) {
    const t = testApp({ cache: new MemoryCache() });
    const hit = await second(t, "/v1/embeddings", EMBED, id);
    await hit.text();
    assert.equal(hit.headers.get("x-aoai-cache"), "hit");
    assert.equal(hit.headers.get("x-ms-client-request-id"), null, id.slice(0, 20));
  }
});

Deno.test("the app's own 502 for an unreachable upstream echoes the client's id", async () => {
  const upstream = new AzureOpenAI({
    endpoint: "http://unreachable.invalid",
    apiKey: "azure-key",
    fetch: () => Promise.reject(new TypeError("connection refused")),
  });
  const app = createEdgeApp({ upstream, clientKeys: [KEY], onError: () => {} });
  const res = await app.fetch(
    new Request(`http://edge.test${azurePath("gpt-4o", "chat/completions")}`, {
      method: "POST",
      headers: {
        "api-key": KEY,
        "content-type": "application/json",
        "x-ms-client-request-id": ID,
      },
      body: JSON.stringify(CHAT),
    }),
  );
  assert.equal((await res.json()).error.code, "UpstreamUnreachable");
  assert.equal(res.status, 502);
  assert.equal(res.headers.get("x-ms-client-request-id"), ID);
});
