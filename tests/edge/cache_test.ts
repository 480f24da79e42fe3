import assert from "node:assert/strict";
import { DenoKvCache, MemoryCache } from "../../edge/mod.ts";
import type { CacheStore } from "../../src/cache/types.ts";
import { azurePath, KEY, sseData, testApp } from "./_helpers.ts";

const EMBED = azurePath("text-embedding-3-small", "embeddings");

type Embeddings = {
  data: { index: number; embedding: number[] }[];
  usage: { prompt_tokens: number; total_tokens: number };
};

async function embed(t: ReturnType<typeof testApp>, input: string[] | string) {
  const res = await t.call(EMBED, { json: { input } });
  assert.equal(res.status, 200);
  return { cache: res.headers.get("x-aoai-cache"), body: await res.json() as Embeddings };
}

for (const kind of ["MemoryCache", "DenoKvCache"] as const) {
  Deno.test(`app serves repeated embeddings from ${kind}: miss, then hit with identical vectors`, async () => {
    using kv = await Deno.openKv(":memory:");
    const store: CacheStore = kind === "MemoryCache" ? new MemoryCache() : new DenoKvCache(kv);
    const t = testApp({ cache: store });
    const first = await embed(t, ["alpha", "beta"]);
    assert.equal(first.cache, "miss");
    assert.ok(first.body.usage.prompt_tokens > 0);
    const second = await embed(t, ["alpha", "beta"]);
    assert.equal(second.cache, "hit");
    assert.equal(second.body.usage.prompt_tokens, 0);
    assert.deepEqual(second.body.data, first.body.data, "bit-for-bit identical vectors");
    assert.equal(t.upstream.length, 1);
  });

  Deno.test(`app sends only the missing inputs upstream on a partial hit (${kind})`, async () => {
    using kv = await Deno.openKv(":memory:");
    const store: CacheStore = kind === "MemoryCache" ? new MemoryCache() : new DenoKvCache(kv);
    const t = testApp({ cache: store });
    const warm = await embed(t, ["one", "two"]);
    const mixed = await embed(t, ["two", "three", "one"]);
    assert.equal(mixed.cache, "partial");
    assert.equal(t.upstream.length, 2);
    const sent = JSON.parse(await t.upstreamBodies[1]);
    assert.deepEqual(sent.input, ["three"]);
    assert.deepEqual(mixed.body.data.map((d) => d.index), [0, 1, 2]);
    assert.deepEqual(mixed.body.data[0].embedding, warm.body.data[1].embedding);
    assert.deepEqual(mixed.body.data[2].embedding, warm.body.data[0].embedding);
    const fresh = await embed(t, "three");
    assert.equal(fresh.cache, "hit");
    assert.deepEqual(fresh.body.data[0].embedding, mixed.body.data[1].embedding);
  });
}

Deno.test("app stores embeddings in Deno KV as Float32 bytes, not JSON", async () => {
  using kv = await Deno.openKv(":memory:");
  const t = testApp({ cache: new DenoKvCache(kv, { prefix: ["c"] }) });
  await embed(t, ["only one"]);
  const sizes: number[] = [];
  for await (const entry of kv.list<{ s: number }>({ prefix: ["c"] })) sizes.push(entry.value.s);
  // A 6144-byte Float32 vector, then the model's name and its length (1 byte).
  const vectors = sizes.filter((s) => s > 1536 * 4 && s <= 1536 * 4 + 256);
  assert.equal(vectors.length, 1, `a 6144-byte Float32 vector (and its model) in ${sizes}`);
  assert.ok(
    sizes.every((s) => s <= 1536 * 4 + 256),
    "nothing larger (a JSON vector is ~3x larger)",
  );
});

Deno.test("app hands cache writes to ctx.waitUntil and serves hits once they settled", async () => {
  const t = testApp({ cache: new MemoryCache() });
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
  const req = () =>
    new Request(`http://edge.test${EMBED}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ input: ["w1", "w2"] }),
    });
  const miss = await t.app.fetch(req(), {}, ctx);
  assert.equal(miss.headers.get("x-aoai-cache"), "miss");
  await miss.body?.cancel();
  assert.equal(pending.length, 1);
  await Promise.all(pending);
  const hit = await t.app.fetch(req(), {}, ctx);
  assert.equal(hit.headers.get("x-aoai-cache"), "hit");
  await hit.body?.cancel();
});

Deno.test("app fails open when the cache store throws", async () => {
  const broken: CacheStore = {
    get: () => Promise.reject(new Error("store down")),
    set: () => Promise.reject(new Error("store down")),
    delete: () => Promise.resolve(),
  };
  const errors: string[] = [];
  const t = testApp({ cache: broken, onError: (m) => errors.push(m) });
  const a = await embed(t, "x");
  const b = await embed(t, "x");
  assert.equal(a.body.data.length, 1);
  assert.equal(b.cache, "miss");
  assert.equal(t.upstream.length, 2);
  assert.ok(errors.some((m) => m.includes("store down")));
});

Deno.test("app never caches embeddings without a cache store", async () => {
  const t = testApp();
  await embed(t, "x");
  const again = await embed(t, "x");
  assert.equal(again.cache, null);
  assert.equal(t.upstream.length, 2);
});

const DETERMINISTIC = { messages: [{ role: "user", content: "cache me please" }], temperature: 0 };
const CHAT = azurePath("gpt-4o", "chat/completions");

function contentOf(sse: string): string {
  return sseData(sse).filter((d) => d !== "[DONE]").map((d) => JSON.parse(d))
    .map((c) => c.choices[0]?.delta?.content ?? "").join("");
}

Deno.test("app caches deterministic chat only with chatCache and replays it as SSE", async () => {
  using kv = await Deno.openKv(":memory:");
  const t = testApp({ cache: new DenoKvCache(kv), chatCache: true });
  const miss = await t.call(CHAT, { json: DETERMINISTIC });
  assert.equal(miss.headers.get("x-aoai-cache"), "miss");
  const completion = await miss.json();
  const hit = await t.call(CHAT, { json: DETERMINISTIC });
  assert.equal(hit.headers.get("x-aoai-cache"), "hit");
  const cached = await hit.json();
  assert.deepEqual(cached.choices, completion.choices);
  assert.equal(cached.usage.total_tokens, 0);
  const replay = await t.call(CHAT, {
    json: { ...DETERMINISTIC, stream: true, stream_options: { include_usage: true } },
  });
  assert.equal(replay.status, 200);
  assert.equal(replay.headers.get("x-aoai-cache"), "hit");
  assert.equal(replay.headers.get("content-type"), "text/event-stream");
  const text = await replay.text();
  assert.ok(text.endsWith("data: [DONE]\n\n"));
  assert.equal(contentOf(text), completion.choices[0].message.content);
  const last = JSON.parse(sseData(text).at(-2)!);
  assert.deepEqual(last.choices, []);
  assert.equal(last.usage.total_tokens, 0);
  assert.equal(t.upstream.length, 1, "the hit and the replay did not go upstream");
});

Deno.test("app stores a streamed deterministic miss and serves it afterwards", async () => {
  const t = testApp({ cache: new MemoryCache(), chatCache: { ttlSeconds: 60 } });
  const streamed = await t.call(CHAT, { json: { ...DETERMINISTIC, seed: 7, stream: true } });
  assert.equal(streamed.headers.get("x-aoai-cache"), "miss");
  const content = contentOf(await streamed.text());
  assert.equal(content, "You said: cache me please");
  const hit = await t.call(CHAT, { json: { ...DETERMINISTIC, seed: 7 } });
  assert.equal(hit.headers.get("x-aoai-cache"), "hit");
  assert.equal((await hit.json()).choices[0].message.content, content);
  const replay = await t.call(CHAT, { json: { ...DETERMINISTIC, seed: 7, stream: true } });
  assert.equal(replay.headers.get("x-aoai-cache"), "hit");
  assert.equal(contentOf(await replay.text()), content);
  assert.equal(t.upstream.length, 1);
});

Deno.test("app does not cache non-deterministic chat, nor any chat without chatCache", async () => {
  const t = testApp({ cache: new MemoryCache(), chatCache: true });
  const body = { messages: [{ role: "user", content: "x" }], temperature: 0.7 };
  for (let i = 0; i < 2; i++) {
    const res = await t.call(CHAT, { json: body });
    assert.equal(res.headers.get("x-aoai-cache"), null);
    await res.body?.cancel();
  }
  const off = testApp({ cache: new MemoryCache() });
  for (let i = 0; i < 2; i++) {
    const res = await off.call(CHAT, { json: DETERMINISTIC });
    assert.equal(res.headers.get("x-aoai-cache"), null);
    await res.body?.cancel();
  }
  assert.equal(t.upstream.length + off.upstream.length, 4);
});

Deno.test("a cancelled streamed miss is not stored", async () => {
  const t = testApp({ cache: new MemoryCache(), chatCache: true });
  const res = await t.call(CHAT, { json: { ...DETERMINISTIC, stream: true } });
  const reader = res.body!.getReader();
  await reader.read();
  await reader.cancel();
  const next = await t.call(CHAT, { json: DETERMINISTIC });
  assert.equal(next.headers.get("x-aoai-cache"), "miss");
  await next.body?.cancel();
});

Deno.test("a streamed deterministic miss is stored through ctx.waitUntil when given", async () => {
  const t = testApp({ cache: new MemoryCache(), chatCache: true });
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
  const req = (stream: boolean) =>
    new Request(`http://edge.test${CHAT}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ ...DETERMINISTIC, stream }),
    });
  const streamed = await t.app.fetch(req(true), {}, ctx);
  assert.equal(streamed.headers.get("x-aoai-cache"), "miss");
  await streamed.text();
  assert.equal(pending.length, 1, "the write went to waitUntil");
  await Promise.all(pending);
  const replay = await t.app.fetch(req(true), {}, ctx);
  assert.equal(replay.headers.get("x-aoai-cache"), "hit");
  assert.equal(contentOf(await replay.text()), "You said: cache me please");
  assert.equal(t.upstream.length, 1);
});
