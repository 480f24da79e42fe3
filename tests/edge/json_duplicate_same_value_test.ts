// A JSON body naming a key twice with the same value text is served: every parser reads the same
// value. What goes upstream is the body as sent (both members), or with every copy of a member the
// app rewrites rewritten alike; the chat cache key is that of the key given once.
import assert from "node:assert/strict";
import { MemoryCache } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, testApp } from "./_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const MESSAGES = '"messages":[{"role":"user","content":"hi"}]';
const HEADERS = { "api-key": KEY, "content-type": "application/json" };

Deno.test("createEdgeApp() serves a body repeating a key with the same value text, sent upstream as sent", async () => {
  const t = testApp();
  const body = `{${MESSAGES},"seed":1, "seed" : 1 ,"messages":[{"role":"user","content":"hi"}]}`;
  const res = await t.call(CHAT, { method: "POST", body, headers: HEADERS });
  assert.equal(res.status, 200, await res.clone().text());
  await res.body?.cancel();
  assert.equal(t.upstream.length, 1);
  assert.equal(await t.upstreamBodies[0], body);
});

Deno.test("createEdgeApp() rewrites every copy of a repeated model it maps, leaving no copy of the alias", async () => {
  const t = testApp({ models: { "my-chat": "gpt-4o" } });
  const body = `{"model":"my-chat",${MESSAGES},"model":"my-chat"}`;
  const res = await t.call("/openai/v1/chat/completions", {
    method: "POST",
    body,
    headers: HEADERS,
  });
  assert.equal(res.status, 200, await res.clone().text());
  await res.body?.cancel();
  const sent = await t.upstreamBodies[0];
  assert.doesNotMatch(sent, /my-chat/);
  assert.deepEqual(JSON.parse(sent).messages, [{ role: "user", content: "hi" }]);
  assert.deepEqual([...sent.matchAll(/"model":"([^"]*)"/g)].map((m) => m[1]).sort(), [
    "gpt-4o",
    "gpt-4o",
  ]);
});

Deno.test('createEdgeApp() caches chat with "seed":1 given twice under the key of it given once', async () => {
  const t = testApp({ cache: new MemoryCache(), chatCache: { ttlSeconds: 60 } });
  const post = async (body: string) => {
    const res = await t.call(CHAT, { method: "POST", body, headers: HEADERS });
    assert.equal(res.status, 200, await res.clone().text());
    await res.text();
    return res.headers.get("x-aoai-cache");
  };
  assert.equal(await post(`{${MESSAGES},"seed":1}`), "miss");
  assert.equal(await post(`{${MESSAGES},"seed":1,"seed":1}`), "hit");
  assert.equal(await post(`{"seed":1,${MESSAGES},"seed": 1}`), "hit");
  assert.equal(t.upstream.length, 1);
  assert.equal(await post(`{${MESSAGES},"seed":2,"seed":2}`), "miss");
  assert.equal(t.upstream.length, 2);
});

Deno.test("createEdgeApp() compares a repeated seed past 2^53 by its text: the same passes, another (parsed alike) is refused", async () => {
  const t = testApp();
  const same = `{${MESSAGES},"seed":9007199254740993,"seed":9007199254740993}`;
  const res = await t.call(CHAT, { method: "POST", body: same, headers: HEADERS });
  assert.equal(res.status, 200, await res.clone().text());
  await res.body?.cancel();
  assert.equal(await t.upstreamBodies[0], same);
  const other = `{${MESSAGES},"seed":9007199254740993,"seed":9007199254740992}`;
  const refused = await t.call(CHAT, { method: "POST", body: other, headers: HEADERS });
  const error = await errorOf(refused);
  assert.equal(refused.status, 400);
  assert.equal(error.code, "duplicate_key");
  assert.equal(error.param, "seed");
  assert.equal(t.upstream.length, 1);
});
