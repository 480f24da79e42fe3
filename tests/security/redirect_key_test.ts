import assert from "node:assert/strict";
import { AzureOpenAI, AzureOpenAIError, type Middleware } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { json, startServer } from "../helpers/server.ts";

const KEY = "sk-redirect-test-key-0123456789";

/**
 * Sends `input` as an embeddings call through a client with `middleware` to an endpoint that
 * answers 307 to another server, and checks that the call fails naming the redirect and that
 * nothing reached the other server.
 */
async function assertNotFollowed(middleware: Middleware[], input: string | string[], options = {}) {
  await using target = await startServer(() => json({ data: [] }));
  await using origin = await startServer(() =>
    new Response(null, { status: 307, headers: { location: `${target.url}/elsewhere` } })
  );
  const client = new AzureOpenAI({ endpoint: origin.url, apiKey: KEY, middleware, ...options });
  await assert.rejects(
    client.embeddings.create({ model: "emb", input }),
    /status 307: redirect to .* not followed/,
  );
  assert.equal(target.seen.length, 0, "the request went to the redirect's target");
}

for (const status of [301, 302, 303, 307, 308]) {
  Deno.test(`a ${status} redirect from the endpoint is not followed: the api-key never reaches its target`, async () => {
    await using target = await startServer(() => json({ data: [] }));
    await using origin = await startServer(() =>
      new Response("moved", {
        status,
        headers: { location: `${target.url}/elsewhere?sig=SAS-SECRET-1234#frag` },
      })
    );
    const client = new AzureOpenAI({ endpoint: origin.url, apiKey: KEY, maxRetries: 2 });
    await assert.rejects(
      client.embeddings.create({ model: "emb", input: "x" }),
      (err: unknown) => {
        assert.ok(err instanceof AzureOpenAIError, String(err));
        assert.equal(err.status, status);
        assert.match(
          err.message,
          new RegExp(
            `failed with status ${status}: redirect to ${target.url}/elsewhere not followed, ` +
              "as the key would go along$",
          ),
        );
        assert.ok(!err.message.includes("SAS-SECRET"));
        return true;
      },
    );
    assert.equal(target.seen.length, 0, "nothing sent to the redirect's target");
    assert.equal(origin.seen.length, 1, "a redirect is not retried");
  });
}

Deno.test("a redirect is not followed with an injected fetch either (the request says manual)", async () => {
  const modes: RequestRedirect[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: KEY,
    fetch: (input, init) => {
      modes.push(new Request(input, init).redirect);
      return Promise.resolve(new Response(null, { status: 302, headers: { location: "/x" } }));
    },
  });
  await assert.rejects(
    client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] }),
    /status 302: redirect to \/x not followed, as the key would go along$/,
  );
  assert.deepEqual(modes, ["manual"]);
});

Deno.test("calls that are not redirected still work with redirect: manual (emulator over HTTP)", async () => {
  const emulator = createEmulator();
  await using server = await startServer((_seen, raw) => emulator.fetch(raw));
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: emulator.apiKey });
  const res = await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
  assert.equal(res.data.length, 1);
});

Deno.test("an embeddings call through cache() (which rebuilds the request for its misses) does not follow a redirect either", async () => {
  const { cache } = await import("../../src/middleware/cache.ts");
  const { MemoryCache } = await import("../../src/cache/memory_cache.ts");
  await assertNotFollowed([cache({ store: new MemoryCache() })], ["a", "b"], { maxRetries: 0 });
});

Deno.test("with a layer outside retry() that reads the request (logger()), a redirect is not followed either", async () => {
  const { logger } = await import("../../src/middleware/logger.ts");
  await assertNotFollowed([logger({ onEvent: () => {} })], "a");
});
