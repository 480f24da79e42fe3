/**
 * `cacheScope: "client"` (env `AOAI_EDGE_CACHE_SCOPE=client`): each client key has caches of its
 * own. With the default `"app"`, a text one key embedded is a `hit` with usage 0 for another key,
 * so with keys handed to separate tenants, any client could learn whether another already sent a
 * text (a membership oracle; by timing too). Scoped, one key's entries are never another's hits,
 * identical concurrent misses of two keys are not coalesced, and cache keys hold the client's
 * hashed id, never its key (their length does not change).
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import type { CacheStore } from "../../src/cache/types.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import {
  createEdgeApp,
  type EdgeAppOptions,
  MemoryCache,
  WorkersKvCache,
  type WorkersKvNamespace,
} from "../../edge/mod.ts";
import { DenoKvCache } from "../../edge/cache/deno_kv.ts";
import { edgeConfigFromEnv } from "../../edge/deno.ts";
import { createWorkerApp } from "../../edge/worker.ts";
import { cacheScopeFromEnv } from "../../edge/_env.ts";
import { azurePath, postJson } from "./_helpers.ts";
import { env, upstreamServer } from "./_env_limits.ts";

const ALICE = "tenant-alice-key-0001";
const BOB = "tenant-bob-key-0002";
const EMBED = azurePath("text-embedding-3-small", "embeddings");
const CHAT = azurePath("gpt-4o", "chat/completions");
const chatBody = (stream = false) => ({
  messages: [{ role: "user", content: "Is the launch on Tuesday?" }],
  temperature: 0,
  ...(stream ? { stream: true } : {}),
});

/** A store recording every key it is asked for or given. */
function recording(inner: CacheStore): { store: CacheStore; keys: Set<string> } {
  const keys = new Set<string>();
  const store: CacheStore = {
    get: (key) => (keys.add(key), inner.get(key)),
    set: (key, value, options) => (keys.add(key), inner.set(key, value, options)),
    delete: (key) => (keys.add(key), inner.delete(key)),
  };
  if (inner.getMany) {
    store.getMany = (list) => (list.forEach((key) => keys.add(key)), inner.getMany!(list));
  }
  return { store, keys };
}

/** An app on an in-process emulator with both client keys; upstream calls counted. */
function twoTenants(options: Partial<EdgeAppOptions>) {
  const emulator = createEmulator();
  let upstream = 0;
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: (req, init) => (upstream++, emulator.fetch(req, init)),
  });
  const app = createEdgeApp({ clientKeys: [ALICE, BOB], upstream: client, ...options });
  return {
    get upstream() {
      return upstream;
    },
    /** The cache header and the usage of a call by `key`. */
    async send(path: string, body: unknown, key: string) {
      const res = await app.fetch(postJson(path, body, key));
      assert.equal(res.status, 200);
      const cache = res.headers.get("x-aoai-cache");
      if ((res.headers.get("content-type") ?? "").includes("event-stream")) {
        await res.text();
        return { cache, usage: undefined };
      }
      const json = await res.json();
      return { cache, usage: json.usage?.prompt_tokens as number };
    },
  };
}

const STORES: Record<string, () => Promise<{ store: CacheStore; [Symbol.dispose](): void }>> = {
  MemoryCache: () => Promise.resolve({ store: new MemoryCache(), [Symbol.dispose]: () => {} }),
  DenoKvCache: async () => {
    const kv = await Deno.openKv(":memory:");
    return { store: new DenoKvCache(kv), [Symbol.dispose]: () => kv.close() };
  },
};

for (const [kind, open] of Object.entries(STORES)) {
  Deno.test(`${kind}, cacheScope "client": an embedding of one key is a hit for that key and a miss for another`, async () => {
    using opened = await open();
    const { store, keys } = recording(opened.store);
    const t = twoTenants({ cache: store, cacheScope: "client" });
    const body = { input: ["quarterly revenue of the acme merger", "a second chunk"] };
    assert.equal((await t.send(EMBED, body, ALICE)).cache, "miss");
    assert.deepEqual(await t.send(EMBED, body, ALICE), { cache: "hit", usage: 0 });
    const bob = await t.send(EMBED, body, BOB);
    assert.equal(bob.cache, "miss", "Bob must not learn that Alice embedded this text");
    assert.ok((bob.usage ?? 0) > 0);
    assert.deepEqual(await t.send(EMBED, body, BOB), { cache: "hit", usage: 0 });
    // Partly cached for Bob only by his own entries.
    const more = { input: ["a second chunk", "a third chunk"] };
    assert.equal((await t.send(EMBED, more, BOB)).cache, "partial");
    assert.equal(t.upstream, 3);
    for (const key of keys) {
      for (const secret of [ALICE, BOB]) {
        assert.ok(!key.toLowerCase().includes(secret.toLowerCase()), `${secret} in ${key}`);
      }
    }
  });

  Deno.test(`${kind}, cacheScope "client": a deterministic chat of one key is a miss for another, streamed or not`, async () => {
    using opened = await open();
    const t = twoTenants({ cache: opened.store, cacheScope: "client", chatCache: true });
    assert.equal((await t.send(CHAT, chatBody(), ALICE)).cache, "miss");
    assert.deepEqual(await t.send(CHAT, chatBody(), ALICE), { cache: "hit", usage: 0 });
    assert.equal((await t.send(CHAT, chatBody(true), ALICE)).cache, "hit");
    assert.equal((await t.send(CHAT, chatBody(true), BOB)).cache, "miss");
    assert.equal((await t.send(CHAT, chatBody(), BOB)).cache, "hit", "Bob's own stream stored");
    assert.equal(t.upstream, 2);
  });
}

Deno.test('the default cacheScope is "app": one cache for every client key (as before)', async () => {
  const t = twoTenants({ cache: new MemoryCache(), chatCache: true });
  const body = { input: "shared text" };
  assert.equal((await t.send(EMBED, body, ALICE)).cache, "miss");
  assert.deepEqual(await t.send(EMBED, body, BOB), { cache: "hit", usage: 0 });
  assert.equal((await t.send(CHAT, chatBody(), ALICE)).cache, "miss");
  assert.equal((await t.send(CHAT, chatBody(), BOB)).cache, "hit");
  const scoped = twoTenants({ cache: new MemoryCache(), cacheScope: "app" });
  assert.equal((await scoped.send(EMBED, body, ALICE)).cache, "miss");
  assert.equal((await scoped.send(EMBED, body, BOB)).cache, "hit");
});

Deno.test('cacheScope "client": cache keys hold no client key and are as long as the app\'s (Deno KV, Workers KV)', async () => {
  const keysOf = async (cacheScope: "app" | "client") => {
    using kv = await Deno.openKv(":memory:");
    const written = new Map<string, Uint8Array>();
    const namespace: WorkersKvNamespace = {
      get: (key) => Promise.resolve(written.get(key)?.slice().buffer ?? null),
      put: (key, value) => (written.set(key, new Uint8Array(value)), Promise.resolve()),
      delete: (key) => (written.delete(key), Promise.resolve()),
    };
    for (const store of [new DenoKvCache(kv), new WorkersKvCache(namespace)]) {
      const t = twoTenants({ cache: store, cacheScope, chatCache: true });
      for (const key of [ALICE, BOB]) {
        await t.send(EMBED, { input: ["one", "two"] }, key);
        await t.send(CHAT, chatBody(), key);
      }
    }
    const deno: string[] = [];
    for await (const entry of kv.list({ prefix: [] })) deno.push(JSON.stringify(entry.key));
    return { deno, workers: [...written.keys()] };
  };
  const app = await keysOf("app");
  const client = await keysOf("client");
  // Each key's own entries: twice as many.
  assert.equal(client.workers.length, 2 * app.workers.length);
  assert.equal(client.deno.length, 2 * app.deno.length);
  for (const key of [...client.deno, ...client.workers]) {
    for (const secret of [ALICE, BOB]) assert.ok(!key.includes(secret), `${secret} in ${key}`);
  }
  const lengths = (keys: string[]) => new Set(keys.map((k) => k.length));
  assert.deepEqual(lengths(client.workers), lengths(app.workers));
  assert.deepEqual(lengths(client.deno), lengths(app.deno));
  for (const key of client.workers) assert.ok(new TextEncoder().encode(key).length <= 512);
});

Deno.test('cacheScope "client": identical concurrent misses of two keys each go upstream; of one key, once', async () => {
  const emulator = createEmulator();
  const held: Array<() => void> = [];
  let arrived: () => void = () => {};
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: async (req, init) => {
      await new Promise<void>((release) => {
        held.push(release);
        arrived();
      });
      return emulator.fetch(req, init);
    },
  });
  const app = createEdgeApp({
    clientKeys: [ALICE, BOB],
    upstream: client,
    cache: new MemoryCache(),
    cacheScope: "client",
  });
  const next = () => new Promise<void>((resolve) => arrived = resolve);
  const body = { input: "held text" };
  let first = next();
  const alice = app.fetch(postJson(EMBED, body, ALICE));
  await first;
  // Alice's call is held upstream: Bob's identical one must not wait for it (nor get its answer).
  first = next();
  const bob = app.fetch(postJson(EMBED, body, BOB));
  // Only a guard against a hang: turns a test that would wait forever into a failed one.
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    first,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error("Bob's miss waited for Alice's")), 20_000);
    }),
  ]).finally(() => clearTimeout(timer));
  assert.equal(held.length, 2);
  // Alice again, while hers is held: coalesced with it (no third upstream call).
  const again = app.fetch(postJson(EMBED, body, ALICE));
  await new Promise((resolve) => setTimeout(resolve, 5));
  held.forEach((release) => release());
  const answers = await Promise.all([alice, bob, again]);
  assert.deepEqual(answers.map((r) => r.headers.get("x-aoai-cache")), ["miss", "miss", "hit"]);
  await Promise.all(answers.map((r) => r.body?.cancel()));
  assert.equal(held.length, 2);
});

Deno.test("cacheScope other than app or client is refused naming the option", () => {
  assert.throws(
    () =>
      createEdgeApp({
        clientKeys: [ALICE],
        upstream: { endpoint: "https://my-res.openai.azure.com", apiKey: "azure-key" },
        cacheScope: "tenant" as "client",
      }),
    (err: Error) =>
      err instanceof TypeError && /cacheScope must be "app" .* or "client"/.test(err.message),
  );
});

const SCOPE = "AOAI_EDGE_CACHE_SCOPE";

Deno.test(`${SCOPE} on Deno: app, client (any case, spaces around), blank; another value named, never quoted`, () => {
  const base = { AOAI_EDGE_KEYS: `${ALICE},${BOB}` };
  assert.equal(
    edgeConfigFromEnv(env({ ...base, [SCOPE]: " Client " })).options.cacheScope,
    "client",
  );
  assert.equal(edgeConfigFromEnv(env({ ...base, [SCOPE]: "app" })).options.cacheScope, "app");
  assert.equal(edgeConfigFromEnv(env({ ...base, [SCOPE]: " " })).options.cacheScope, undefined);
  assert.ok(
    edgeConfigFromEnv(env({ ...base, [SCOPE]: "client" })).banner.some((l) => l.includes(SCOPE)),
  );
  for (const bad of ["tenant", "per-key", ALICE]) {
    assert.throws(() => cacheScopeFromEnv(bad), (err: Error) => {
      assert.match(err.message, new RegExp(`^${SCOPE} must be`));
      assert.ok(!err.message.includes(bad), err.message);
      return true;
    });
    assert.throws(() => edgeConfigFromEnv(env({ ...base, [SCOPE]: bad })), new RegExp(SCOPE));
  }
});

Deno.test(`${SCOPE}=client on Workers: one key's embedding is a miss for another (Workers KV)`, async () => {
  await using up = upstreamServer([ALICE, BOB]);
  const written = new Map<string, Uint8Array>();
  const AOAI_CACHE: WorkersKvNamespace = {
    get: (key) => Promise.resolve(written.get(key)?.slice().buffer ?? null),
    put: (key, value) => (written.set(key, new Uint8Array(value)), Promise.resolve()),
    delete: (key) => (written.delete(key), Promise.resolve()),
  };
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
  const app = createWorkerApp({ ...up.bindings, AOAI_CACHE, [SCOPE]: "client" });
  const cacheOf = async (key: string) => {
    const res = await app.fetch(postJson(EMBED, { input: "worker text" }, key), undefined, ctx);
    assert.equal(res.status, 200);
    await res.body?.cancel();
    await Promise.all(pending);
    return res.headers.get("x-aoai-cache");
  };
  assert.equal(await cacheOf(ALICE), "miss");
  assert.equal(await cacheOf(ALICE), "hit");
  assert.equal(await cacheOf(BOB), "miss");
  const bad = () => createWorkerApp({ ...up.bindings, AOAI_CACHE, [SCOPE]: "tenants" });
  assert.throws(bad, new RegExp(`${SCOPE} must be`));
});
