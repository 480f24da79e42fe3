import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { edgeConfigFromEnv } from "../../edge/deno.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import worker, { createWorkerApp, type WorkerEnv } from "../../edge/worker.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";
import { azurePath, errorOf } from "./_helpers.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];
const CLIENT_KEY = "fallback-test-client-key";
const PRIMARY_KEY = "primary-azure-secret-key";
const FALLBACK_KEYS = ["fallback-secret-key-one", "fallback-secret-key-two"];
const ctx: EdgeExecutionContext = { waitUntil: () => {} };

/** An emulator served on 127.0.0.1 (stopped with the returned disposer), and a closed port. */
function localUpstreams(key: string) {
  const emulator = createEmulator({ apiKeys: [key] });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => emulator.fetch(req),
  );
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return {
    emulator,
    url: `http://127.0.0.1:${server.addr.port}`,
    closed: `http://127.0.0.1:${closedPort}`,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function chatRequest(): Request {
  return new Request(`https://edge.example${azurePath("gpt-4o", "chat/completions")}`, {
    method: "POST",
    headers: { "api-key": CLIENT_KEY, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
  });
}

function assertNoSecret(text: string): void {
  for (const key of [PRIMARY_KEY, ...FALLBACK_KEYS]) {
    assert.ok(!text.includes(key), `a key in: ${text}`);
  }
}

Deno.test("edgeConfigFromEnv() reads AZURE_OPENAI_FALLBACK_ENDPOINTS and _API_KEYS into upstreams after the primary", () => {
  const config = edgeConfigFromEnv(env({
    AZURE_OPENAI_ENDPOINT: "https://primary.openai.azure.com",
    AZURE_OPENAI_API_KEY: PRIMARY_KEY,
    AZURE_OPENAI_API_VERSION: "2024-06-01",
    AZURE_OPENAI_FALLBACK_ENDPOINTS:
      " https://second.openai.azure.com , https://third.openai.azure.com/",
    AZURE_OPENAI_FALLBACK_API_KEYS: FALLBACK_KEYS.join(", "),
    AOAI_EDGE_KEYS: CLIENT_KEY,
  }));
  const version = { apiVersion: "2024-06-01", streamIdleTimeoutMs: 600_000 };
  assert.deepEqual(config.options.upstream, [
    { endpoint: "https://primary.openai.azure.com", apiKey: PRIMARY_KEY, ...version },
    { endpoint: "https://second.openai.azure.com", apiKey: FALLBACK_KEYS[0], ...version },
    { endpoint: "https://third.openai.azure.com/", apiKey: FALLBACK_KEYS[1], ...version },
  ]);
  const banner = config.banner.join("\n");
  assert.match(
    banner,
    /fallback upstreams, in order: https:\/\/second\.openai\.azure\.com, https:\/\/third\.openai\.azure\.com/,
  );
  assertNoSecret(banner);
  createEdgeApp({ ...config.options }); // the app takes them
});

Deno.test("edgeConfigFromEnv() leaves a single upstream as it was when no fallback is set", () => {
  const config = edgeConfigFromEnv(env({
    AZURE_OPENAI_ENDPOINT: "https://primary.openai.azure.com",
    AZURE_OPENAI_API_KEY: PRIMARY_KEY,
    AZURE_OPENAI_FALLBACK_ENDPOINTS: " ",
    AZURE_OPENAI_FALLBACK_API_KEYS: "",
  }));
  assert.deepEqual(config.options.upstream, {
    endpoint: "https://primary.openai.azure.com",
    apiKey: PRIMARY_KEY,
    apiVersion: undefined,
    streamIdleTimeoutMs: 600_000,
  });
  assert.doesNotMatch(config.banner.join("\n"), /fallback/);
});

Deno.test("edgeConfigFromEnv() names both fallback variables when their counts differ, and prints no key", () => {
  for (
    const [endpoints, keys] of [
      ["https://second.openai.azure.com,https://third.openai.azure.com", FALLBACK_KEYS[0]],
      ["https://second.openai.azure.com", FALLBACK_KEYS.join(",")],
      ["", FALLBACK_KEYS[0]],
      ["https://second.openai.azure.com", ""],
    ]
  ) {
    assert.throws(
      () =>
        edgeConfigFromEnv(env({
          AZURE_OPENAI_ENDPOINT: "https://primary.openai.azure.com",
          AZURE_OPENAI_API_KEY: PRIMARY_KEY,
          AZURE_OPENAI_FALLBACK_ENDPOINTS: endpoints,
          AZURE_OPENAI_FALLBACK_API_KEYS: keys,
        })),
      (err: Error) => {
        assert.match(
          err.message,
          /^AZURE_OPENAI_FALLBACK_ENDPOINTS lists \d endpoint\(s\) but AZURE_OPENAI_FALLBACK_API_KEYS lists \d key\(s\)/,
        );
        assertNoSecret(err.message);
        return true;
      },
    );
  }
});

Deno.test("edgeConfigFromEnv() refuses a fallback endpoint that is not a URL without quoting it, and fallbacks without a primary", () => {
  // The keys pasted into the endpoints variable: the error must not print them.
  assert.throws(
    () =>
      edgeConfigFromEnv(env({
        AZURE_OPENAI_ENDPOINT: "https://primary.openai.azure.com",
        AZURE_OPENAI_API_KEY: PRIMARY_KEY,
        AZURE_OPENAI_FALLBACK_ENDPOINTS: FALLBACK_KEYS.join(","),
        AZURE_OPENAI_FALLBACK_API_KEYS: FALLBACK_KEYS.join(","),
      })),
    (err: Error) => {
      assert.match(
        err.message,
        /^AZURE_OPENAI_FALLBACK_ENDPOINTS: entry 1 is not an http\(s\) URL/,
      );
      assertNoSecret(err.message);
      return true;
    },
  );
  assert.throws(
    () =>
      edgeConfigFromEnv(env({
        AZURE_OPENAI_FALLBACK_ENDPOINTS: "https://second.openai.azure.com",
        AZURE_OPENAI_FALLBACK_API_KEYS: FALLBACK_KEYS[0],
      })),
    /AZURE_OPENAI_FALLBACK_ENDPOINTS needs a primary: set AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY/,
  );
});

Deno.test("the Deno entry's options fail over from an unreachable primary to a fallback on 127.0.0.1", async () => {
  await using up = localUpstreams(FALLBACK_KEYS[0]);
  const errors: string[] = [];
  const config = edgeConfigFromEnv(env({
    AZURE_OPENAI_ENDPOINT: up.closed,
    AZURE_OPENAI_API_KEY: PRIMARY_KEY,
    AZURE_OPENAI_FALLBACK_ENDPOINTS: up.url,
    AZURE_OPENAI_FALLBACK_API_KEYS: FALLBACK_KEYS[0],
    AOAI_EDGE_KEYS: CLIENT_KEY,
  }));
  const app = createEdgeApp({ ...config.options, onError: (line) => errors.push(line) });
  const res = await app.fetch(chatRequest());
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  assert.equal((await res.json()).choices[0].message.content, "You said: hi");
  assert.equal(errors.length, 1);
  assert.match(
    errors[0],
    /^chat\.completions\.create: upstream 127\.0\.0\.1:\d+ unreachable; trying upstream 1$/,
  );
});

Deno.test("createWorkerApp() fails over to AZURE_OPENAI_FALLBACK_ENDPOINTS", async () => {
  await using up = localUpstreams(FALLBACK_KEYS[1]);
  const app = createWorkerApp({
    AZURE_OPENAI_ENDPOINT: up.closed,
    AZURE_OPENAI_API_KEY: PRIMARY_KEY,
    AZURE_OPENAI_FALLBACK_ENDPOINTS: up.url,
    AZURE_OPENAI_FALLBACK_API_KEYS: FALLBACK_KEYS[1],
    AOAI_EDGE_KEYS: CLIENT_KEY,
  });
  const res = await app.fetch(chatRequest(), undefined, ctx);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  await res.body?.cancel();
  assert.equal(up.emulator.stats.requests, 1);
});

Deno.test("the Worker answers 500 EdgeMisconfigured naming both fallback variables, without a key", async () => {
  const bindings: WorkerEnv = {
    AZURE_OPENAI_ENDPOINT: "https://primary.openai.azure.com",
    AZURE_OPENAI_API_KEY: PRIMARY_KEY,
    AZURE_OPENAI_FALLBACK_ENDPOINTS: "https://second.openai.azure.com",
    AZURE_OPENAI_FALLBACK_API_KEYS: FALLBACK_KEYS.join(","),
    AOAI_EDGE_KEYS: CLIENT_KEY,
  };
  const res = await worker.fetch(chatRequest(), bindings, ctx);
  assert.equal(res.status, 500);
  const error = await errorOf(res);
  assert.equal(error.code, "EdgeMisconfigured");
  assert.match(
    error.message,
    /AZURE_OPENAI_FALLBACK_ENDPOINTS lists 1 endpoint\(s\) but AZURE_OPENAI_FALLBACK_API_KEYS lists 2 key\(s\)/,
  );
  assertNoSecret(error.message);
  // Fixing the binding rebuilds the app (the fallback variables are part of its signature).
  const fixed = await worker.fetch(
    new Request("https://edge.example/health"),
    { ...bindings, AZURE_OPENAI_FALLBACK_API_KEYS: FALLBACK_KEYS[0] },
    ctx,
  );
  assert.equal(fixed.status, 200);
  await fixed.body?.cancel();
});
