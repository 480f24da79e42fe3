import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator, type Emulator } from "../../src/emulator/mod.ts";
import { createEdgeApp, MemoryCache } from "../../edge/mod.ts";
import { KEY } from "./_helpers.ts";

/**
 * An app whose upstreams are emulators behind clients built from mixed-case resource names (the
 * Azure form `https://{name}.openai.azure.com`), so a request's URL, which the URL parser lower
 * cases, differs from an endpoint that kept the case.
 */
function app(names: string[], apiVersion?: string) {
  const clock = { now: 1_000_000 };
  const now = () => clock.now;
  const ups = names.map((name) => {
    const key = `${name}-secret-key-${crypto.randomUUID()}`;
    const emulator = createEmulator({ apiKeys: [key], now, operationPolls: 0 });
    const seen: string[] = [];
    const client = new AzureOpenAI({
      resourceName: name,
      apiKey: key,
      apiVersion,
      fetch: (req, init) => {
        seen.push(req instanceof Request ? req.url : String(req));
        return emulator.fetch(req, init);
      },
    });
    return { emulator, client, seen } as {
      emulator: Emulator;
      client: AzureOpenAI;
      seen: string[];
    };
  });
  const edge = createEdgeApp({
    clientKeys: [KEY],
    now,
    cache: new MemoryCache(),
    upstream: ups.map((u) => u.client),
  });
  const call = (path: string, json: unknown) =>
    edge.fetch(
      new Request(`http://edge.test${path}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify(json),
      }),
    );
  return { ups, call, clock };
}

for (const apiVersion of [undefined, "v1"]) {
  Deno.test(`createEdgeApp() failover with mixed-case resourceName upstreams (apiVersion ${apiVersion}): what the second stored is a hit on the primary's pipeline`, async () => {
    const { ups, call, clock } = app(["Primary-Res", "Second-RES"], apiVersion);
    const path = apiVersion === "v1"
      ? "/openai/v1/embeddings"
      : "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21";
    const body = { model: "text-embedding-3-small", input: ["a", "b"] };
    ups[0].emulator.failNext(1, 503);
    const miss = await call(path, body);
    assert.equal(miss.status, 200);
    assert.equal(miss.headers.get("x-aoai-upstream"), "1");
    assert.equal(miss.headers.get("x-aoai-cache"), "miss");
    await miss.body?.cancel();
    assert.match(ups[1].seen[0], /^https:\/\/second-res\.openai\.azure\.com\/openai\//);

    clock.now += 60_000;
    const before = ups.map((u) => u.seen.length);
    const hit = await call(path, body);
    assert.equal(hit.headers.get("x-aoai-cache"), "hit");
    await hit.body?.cancel();
    assert.deepEqual(ups.map((u) => u.seen.length), before, "a hit goes to no upstream");
  });
}

Deno.test("createEdgeApp() rewrites a DALL-E 2 operation-location to itself for a mixed-case resourceName upstream", async () => {
  const { ups, call } = app(["My-Res"]);
  const accepted = await call("/openai/images/generations:submit?api-version=2023-09-01-preview", {
    prompt: "a lighthouse",
    n: 1,
    size: "256x256",
  });
  assert.equal(accepted.status, 202);
  await accepted.body?.cancel();
  const location = accepted.headers.get("operation-location") ?? "";
  assert.match(location, /^http:\/\/edge\.test\/openai\/operations\/images\/[^/?]+\?/);
  assert.equal(location.includes("my-res"), false, "the upstream host is not shown");
  assert.equal(ups[0].seen.length, 1);
});
