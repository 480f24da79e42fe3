import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";
import worker, { createWorkerApp, type WorkerEnv } from "../../edge/worker.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";
import { azurePath, errorOf } from "./_helpers.ts";

const TENANT = "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10";
const CLIENT = "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f";
const SECRET = "env~Secret.Value-0123456789";
const WRONG = "env~Wrong.Value-9876543210";
const CLIENT_KEY = "entra-env-test-client-key";
const ENTRA = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: SECRET };
const ctx: EdgeExecutionContext = { waitUntil: () => {} };
const env = (vars: Record<string, string>) => (name: string) => vars[name];

/**
 * An emulator with an Entra ID token endpoint, served on 127.0.0.1 (it is both the authority
 * host and the resource), and a closed port.
 */
function localEntra() {
  const emulator = createEmulator({
    entra: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET },
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => emulator.fetch(req),
  );
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const url = `http://127.0.0.1:${server.addr.port}`;
  return {
    emulator,
    url,
    closed: `http://127.0.0.1:${closedPort}`,
    tokenRequests: () => emulator.log.filter((e) => e.path.includes("/oauth2/v2.0/token")).length,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function chatRequest(base = "https://edge.example"): Request {
  return new Request(`${base}${azurePath("gpt-4o", "chat/completions")}`, {
    method: "POST",
    headers: { "api-key": CLIENT_KEY, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
  });
}

function assertNoSecret(text: string): void {
  assert.ok(!text.includes(SECRET) && !text.includes(WRONG), `a secret in: ${text}`);
}

Deno.test("edgeConfigFromEnv() with AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET authenticates with Entra ID and prints no secret", () => {
  const config = edgeConfigFromEnv(env({
    AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
    ...ENTRA,
    AOAI_EDGE_KEYS: CLIENT_KEY,
  }));
  const upstream = config.options.upstream as Record<string, unknown>;
  assert.equal(upstream.endpoint, "https://my-res.openai.azure.com");
  assert.equal(typeof upstream.tokenProvider, "function");
  assert.ok(!("apiKey" in upstream));
  const banner = config.banner.join("\n");
  assert.match(
    banner,
    new RegExp(
      `auth: Microsoft Entra ID, client ${CLIENT} of tenant ${TENANT} \\(client credentials, ` +
        "tokens from https://login\\.microsoftonline\\.com\\)",
    ),
  );
  assertNoSecret(banner);
});

Deno.test("edgeConfigFromEnv() with Entra ID sends the fallback endpoints the same token, and refuses fallback keys", () => {
  const config = edgeConfigFromEnv(env({
    AZURE_OPENAI_ENDPOINT: "https://primary.openai.azure.com",
    ...ENTRA,
    AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us",
    AZURE_OPENAI_FALLBACK_ENDPOINTS:
      "https://second.openai.azure.com,https://third.openai.azure.com",
    AOAI_EDGE_KEYS: CLIENT_KEY,
  }));
  const upstreams = config.options.upstream as Record<string, unknown>[];
  assert.equal(upstreams.length, 3);
  assert.ok(upstreams.every((u) => u.tokenProvider === upstreams[0].tokenProvider));
  assert.ok(upstreams.every((u) => !("apiKey" in u)));
  assert.match(config.banner.join("\n"), /tokens from https:\/\/login\.microsoftonline\.us/);
  assert.throws(
    () =>
      edgeConfigFromEnv(env({
        AZURE_OPENAI_ENDPOINT: "https://primary.openai.azure.com",
        ...ENTRA,
        AZURE_OPENAI_FALLBACK_ENDPOINTS: "https://second.openai.azure.com",
        AZURE_OPENAI_FALLBACK_API_KEYS: "fallback-key-value-1",
      })),
    (err: Error) => {
      assert.match(
        err.message,
        /AZURE_OPENAI_FALLBACK_API_KEYS is set, but the primary uses Microsoft Entra ID .* unset AZURE_OPENAI_FALLBACK_API_KEYS/,
      );
      assert.ok(!err.message.includes("fallback-key-value-1"));
      return true;
    },
  );
});

Deno.test("edgeConfigFromEnv(): Entra ID variables that do not fit together throw errors naming them, never a value", () => {
  const endpoint = { AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com" };
  const cases: [Record<string, string>, RegExp][] = [
    [
      { ...endpoint, AZURE_TENANT_ID: TENANT },
      /needs AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET; AZURE_CLIENT_ID and AZURE_CLIENT_SECRET are not set/,
    ],
    [
      { ...endpoint, AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: CLIENT, AZURE_CLIENT_SECRET: " " },
      /AZURE_CLIENT_SECRET is not set/,
    ],
    [{ ...endpoint, ...ENTRA, AZURE_TENANT_ID: SECRET }, /^AZURE_TENANT_ID must be the directory/],
    [
      { ...endpoint, ...ENTRA, AZURE_CLIENT_ID: SECRET },
      /^AZURE_CLIENT_ID must be the application/,
    ],
    [
      { ...endpoint, ...ENTRA, AZURE_AUTHORITY_HOST: "http://login.example.com" },
      /^AZURE_AUTHORITY_HOST must be an https URL/,
    ],
    [
      endpoint,
      /Set both AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY .* To authenticate with Microsoft Entra ID instead of a key, set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET\./,
    ],
  ];
  for (const [vars, message] of cases) {
    assert.throws(() => edgeConfigFromEnv(env(vars)), (err: Error) => {
      assert.match(err.message, message);
      assertNoSecret(err.message);
      assert.ok(!err.message.includes("azure-key-value"));
      return true;
    });
  }
  // AZURE_AUTHORITY_HOST alone configures nothing: the emulator still answers locally.
  const local = edgeConfigFromEnv(
    env({ AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us" }),
  );
  assert.match(local.banner[0], /upstream: the built-in emulator/);
});

Deno.test("the Deno entry built from env with Entra ID answers a chat request end to end over HTTP", async () => {
  await using entra = localEntra();
  const dir = await Deno.makeTempDir();
  try {
    const config = edgeConfigFromEnv(env({
      AZURE_OPENAI_ENDPOINT: entra.url,
      ...ENTRA,
      AZURE_AUTHORITY_HOST: entra.url,
      AOAI_EDGE_KEYS: CLIENT_KEY,
      PORT: "0",
      AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
    }));
    await using server = await serveEdge(config);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(chatRequest(server.url));
      assert.equal(res.status, 200);
      assert.equal((await res.json()).choices[0].message.content, "You said: hi");
    }
    const calls = entra.emulator.log.filter((e) => e.path.startsWith("/openai/"));
    assert.equal(calls.length, 2);
    assert.ok(calls.every((e) => e.auth === "bearer"));
    assert.equal(entra.tokenRequests(), 1, "one token for both requests");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createWorkerApp() with Entra ID answers a chat request end to end, failing over to a fallback with the same token", async () => {
  await using entra = localEntra();
  const app = createWorkerApp({
    AZURE_OPENAI_ENDPOINT: entra.closed,
    AZURE_OPENAI_FALLBACK_ENDPOINTS: entra.url,
    ...ENTRA,
    AZURE_AUTHORITY_HOST: entra.url,
    AOAI_EDGE_KEYS: CLIENT_KEY,
  });
  const res = await app.fetch(chatRequest(), {}, ctx);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  assert.equal((await res.json()).choices[0].message.content, "You said: hi");
  assert.equal(entra.emulator.log.at(-1)?.auth, "bearer");
  assert.equal(entra.tokenRequests(), 1);
});

Deno.test("the Worker with a wrong AZURE_CLIENT_SECRET answers 502 UpstreamSignInFailed and logs the AADSTS code without the secret, then rebuilds when the secret changes", async () => {
  await using entra = localEntra();
  const base: WorkerEnv = {
    AZURE_OPENAI_ENDPOINT: entra.url,
    ...ENTRA,
    AZURE_AUTHORITY_HOST: entra.url,
    AOAI_EDGE_KEYS: CLIENT_KEY,
  };
  const logged: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  try {
    const bad = await worker.fetch(chatRequest(), { ...base, AZURE_CLIENT_SECRET: WRONG }, ctx);
    const text = await bad.text();
    assert.equal(bad.status, 502);
    assert.equal(JSON.parse(text).error.code, "UpstreamSignInFailed");
    assertNoSecret(text);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /tenant 4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10/);
    assert.match(logged[0], /HTTP 401 invalid_client: AADSTS7000215/);
    assertNoSecret(logged[0]);
    const good = await worker.fetch(chatRequest(), base, ctx);
    assert.equal(good.status, 200, "AZURE_CLIENT_SECRET is part of the Worker's signature");
    await good.body?.cancel();
  } finally {
    console.error = original;
  }
  assert.ok(!entra.emulator.log.some((e) => e.path.startsWith("/openai/") && e.status === 401));
});

Deno.test("the Worker answers 500 EdgeMisconfigured for Entra ID variables that do not fit, naming them without a value", async () => {
  const cases: [WorkerEnv, RegExp][] = [
    [
      {
        AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com",
        AZURE_CLIENT_ID: CLIENT,
        AOAI_EDGE_KEYS: CLIENT_KEY,
      },
      /AZURE_TENANT_ID and AZURE_CLIENT_SECRET are not set/,
    ],
    [
      { ...ENTRA, AOAI_EDGE_KEYS: CLIENT_KEY },
      /set AZURE_OPENAI_ENDPOINT \(a var\) and AZURE_OPENAI_API_KEY/,
    ],
    [
      { AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com", AOAI_EDGE_KEYS: CLIENT_KEY },
      /set AZURE_OPENAI_ENDPOINT \(a var\) and AZURE_OPENAI_API_KEY .*; or, for Microsoft Entra ID instead of a key/,
    ],
  ];
  for (const [bindings, message] of cases) {
    const res = await worker.fetch(chatRequest(), bindings, ctx);
    assert.equal(res.status, 500);
    const error = await errorOf(res);
    assert.equal(error.code, "EdgeMisconfigured");
    assert.match(error.message, message);
    assertNoSecret(error.message);
    assert.ok(!error.message.includes("azure-key-value"));
  }
});

Deno.test("a key wins over Entra ID variables, and without an endpoint they are not read (set in a shell for other Azure tools)", async () => {
  const endpoint = "https://my-res.openai.azure.com";
  const withKey = edgeConfigFromEnv(env({
    AZURE_OPENAI_ENDPOINT: endpoint,
    AZURE_OPENAI_API_KEY: "azure-key-value",
    ...ENTRA,
  }));
  assert.deepEqual(withKey.options.upstream, {
    endpoint,
    apiKey: "azure-key-value",
    apiVersion: undefined,
    streamIdleTimeoutMs: 600_000,
  });
  assert.ok(!withKey.banner.some((line) => line.includes("Entra")), withKey.banner.join("\n"));
  // Only some of them, beside a key: not an error either.
  edgeConfigFromEnv(
    env({
      AZURE_OPENAI_ENDPOINT: endpoint,
      AZURE_OPENAI_API_KEY: "k-value-1",
      AZURE_CLIENT_ID: CLIENT,
    }),
  );
  const local = edgeConfigFromEnv(env({ ...ENTRA }));
  assert.match(local.banner[0], /the built-in emulator/);
  const app = createWorkerApp({
    AZURE_OPENAI_ENDPOINT: endpoint,
    AZURE_OPENAI_API_KEY: "azure-key-value",
    ...ENTRA,
    AOAI_EDGE_KEYS: CLIENT_KEY,
  });
  assert.equal((await app.fetch(new Request("https://w.example/health"))).status, 200);
});
