/**
 * With `cacheScope: "client"` a key's entries live in the namespace
 * `{cacheNamespace}\0client\0{id}`. A second app on the same store whose cacheNamespace spelt
 * out that text (the id is no secret: `onRequest` events carry it) shared that client's entries
 * with every one of its own keys: a text the client embedded was a hit with usage 0 there. A
 * cacheNamespace holding a NUL character (as every client-scoped namespace does) is
 * refused, so no app-scope namespace is ever a client's.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { clientIdOf, createEdgeApp, type EdgeAppOptions, MemoryCache } from "../../edge/mod.ts";
import { azurePath, postJson } from "./_helpers.ts";

const ALICE = "tenant-alice-key-0001";
const MALLORY = "other-app-key-0003";
const EMBED = azurePath("text-embedding-3-small", "embeddings");

function app(key: string, options: Partial<EdgeAppOptions>) {
  const emulator = createEmulator();
  const upstream = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: emulator.fetch,
  });
  return createEdgeApp({ clientKeys: [key], upstream, ...options });
}

Deno.test("a cacheNamespace spelling out a client's scoped namespace does not read its entries", async () => {
  const cache = new MemoryCache();
  const scoped = app(ALICE, { cache, cacheScope: "client", cacheNamespace: "prod" });
  const body = { input: "the acme merger closes on Tuesday" };
  const first = await scoped.fetch(postJson(EMBED, body, ALICE));
  assert.equal(first.headers.get("x-aoai-cache"), "miss");
  await first.body?.cancel();
  const spelt = `prod\0client\0${await clientIdOf(ALICE)}`;
  let other;
  try {
    other = app(MALLORY, { cache, cacheNamespace: spelt });
  } catch (err) {
    assert.ok(err instanceof TypeError);
    assert.match(err.message, /cacheNamespace/);
    assert.ok(!err.message.includes("\0"), "the namespace is not quoted");
    return;
  }
  const res = await other.fetch(postJson(EMBED, body, MALLORY));
  await res.body?.cancel();
  assert.equal(res.headers.get("x-aoai-cache"), "miss", "Alice's entry served to another app");
});

Deno.test("a cacheNamespace without a NUL is taken as before", () => {
  app(ALICE, { cache: new MemoryCache(), cacheScope: "client", cacheNamespace: "prod/client-a" });
});
