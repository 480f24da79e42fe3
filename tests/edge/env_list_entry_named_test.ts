// A bad entry of a comma-separated variable is named by the variable and its entry number
// (`AOAI_EDGE_KEYS: entry 2`), as the per-key variables' errors are, never by the option path the
// app was built with (`clientKeys[1]`, `upstream[2]`), which the operator never wrote; and the
// entry itself is never quoted (it may be a key).
import assert from "node:assert/strict";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";
import { createWorkerApp } from "../../edge/worker.ts";

const BASE: Record<string, string> = {
  AZURE_OPENAI_ENDPOINT: "https://entry-named.openai.azure.com",
  AZURE_OPENAI_API_KEY: "entry-named-azure-key-0001",
  AOAI_EDGE_KEYS: "entry-named-client-key-1",
};
const FALLBACKS = "https://entry-two.openai.azure.com,https://entry-three.openai.azure.com";
const FALLBACK_KEYS = "entry-named-fallback-key-2,entry-named-fallback-key-3";

const cases: { name: string; vars: Record<string, string>; expected: RegExp; secret: string }[] = [
  {
    name: "a short client key",
    vars: { AOAI_EDGE_KEYS: "entry-named-client-key-1,short" },
    expected: /^AOAI_EDGE_KEYS: entry 2 must be .*8 printable ASCII characters/,
    secret: "short",
  },
  {
    name: "a client key outside printable ASCII",
    vars: { AOAI_EDGE_KEYS: "entry-named-client-key-1,clé-de-client-0002" },
    expected: /^AOAI_EDGE_KEYS: entry 2 must be .*8 printable ASCII characters/,
    secret: "clé-de-client-0002",
  },
  {
    name: "a client key listed twice",
    vars: {
      AOAI_EDGE_KEYS: "entry-named-client-key-1,entry-named-client-key-2,entry-named-client-key-1",
    },
    expected: /^AOAI_EDGE_KEYS: entry 3 repeats entry 1/,
    secret: "entry-named-client-key-1",
  },
  {
    name: "a fallback key no header can carry",
    vars: {
      AZURE_OPENAI_FALLBACK_ENDPOINTS: FALLBACKS,
      AZURE_OPENAI_FALLBACK_API_KEYS: "entry-named-fallback-key-2,fallback-clé€-0003",
    },
    expected: /^AZURE_OPENAI_FALLBACK_API_KEYS: entry 2 /,
    secret: "fallback-clé€-0003",
  },
  {
    name: "a fallback endpoint with credentials and a query",
    vars: {
      AZURE_OPENAI_FALLBACK_ENDPOINTS:
        "https://entry-two.openai.azure.com,https://u:pw-secret-0003@entry-three.example/?sig=s3cr3t",
      AZURE_OPENAI_FALLBACK_API_KEYS: FALLBACK_KEYS,
    },
    expected: /^AZURE_OPENAI_FALLBACK_ENDPOINTS: entry 2 /,
    secret: "pw-secret-0003",
  },
  {
    name: "a CORS origin with a wildcard",
    vars: { AOAI_EDGE_CORS_ORIGINS: "https://app.example,https://*.wild-0002.example" },
    expected: /^AOAI_EDGE_CORS_ORIGINS: entry 2 holds a wildcard/,
    secret: "wild-0002",
  },
  {
    name: "a CORS entry that is not an origin",
    vars: { AOAI_EDGE_CORS_ORIGINS: "app-not-origin-0001.example" },
    expected: /^AOAI_EDGE_CORS_ORIGINS: entry 1 is not an origin/,
    secret: "app-not-origin-0001",
  },
];

for (const { name, vars, expected, secret } of cases) {
  const env: Record<string, string> = { ...BASE, ...vars };
  const check = (err: unknown) => {
    assert.ok(err instanceof Error);
    assert.match(err.message, expected);
    assert.doesNotMatch(err.message, /clientKeys\[|upstream\[|createEdgeApp/);
    assert.ok(!err.message.includes(secret), err.message);
    return true;
  };

  Deno.test(`createWorkerApp(): ${name} is named by variable and entry`, () => {
    assert.throws(() => createWorkerApp(env), check);
  });

  Deno.test(`the Deno entry: ${name} is named by variable and entry`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      await assert.rejects(async () => {
        const config = edgeConfigFromEnv((n) =>
          ({ ...env, PORT: "0", AOAI_EDGE_KV_PATH: `${dir}/edge.kv` })[n]
        );
        const server = await serveEdge(config);
        await server.close();
      }, check);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
