// The start-up lines and errors of `deno task serve` print HOST, AOAI_EDGE_KV_PATH and
// AZURE_CLIENT_CERTIFICATE_PATH (paths and addresses are worth seeing), except a value that looks
// like a secret pasted into the wrong variable: one holding a key of the app's environment, or
// 20+ letters and digits in a row, mixed (as access keys and tokens are; paths and host names have
// words, dots and slashes).
import assert from "node:assert/strict";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";

/** An Azure OpenAI key's shape (32 hex digits) and a newer one (84 letters and digits). */
const HEX_KEY = "9f2c1e0a7b3d4c5e6f708192a3b4c5d6";
const LONG_KEY = "Xy7" + "aB3dE9fGh2JkL5mN8pQ1rS4tUv6WxZ0".repeat(2) + "cD2eF4gH6iJ8kL0mN2pQ4rS6tU";
/** A client key of AOAI_EDGE_KEYS: no key shape, but a secret of the app. */
const CLIENT_KEY = "pasted-client-key-words-only";
const env = (vars: Record<string, string>) => (name: string) => vars[name];
const kvLine = (vars: Record<string, string>) =>
  edgeConfigFromEnv(env({ AOAI_EDGE_KEYS: CLIENT_KEY, ...vars })).banner.find((line) =>
    line.startsWith("cache: Deno KV")
  ) ?? "";

Deno.test("edgeConfigFromEnv(): the start-up line prints AOAI_EDGE_KV_PATH, unless it looks like a secret", () => {
  for (
    const path of [
      ".tmp/edge.kv",
      "/var/lib/aoai-edge/edge-2026-03.kv",
      "C:\\data\\aoai-edge\\edge.kv",
      "/tmp/8c83dad7782bdc1/edge.kv", // Deno.makeTempDir()'s names
      "/srv/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b/edge.kv", // a UUID
    ]
  ) {
    assert.equal(kvLine({ AOAI_EDGE_KV_PATH: path }), `cache: Deno KV in ${path}`);
  }
  for (
    const [path, secret] of [
      [HEX_KEY, HEX_KEY],
      [LONG_KEY, LONG_KEY],
      [`/data/${HEX_KEY}/edge.kv`, HEX_KEY],
      [CLIENT_KEY, CLIENT_KEY],
      [`.tmp/${CLIENT_KEY}.kv`, CLIENT_KEY],
    ]
  ) {
    const line = kvLine({ AOAI_EDGE_KV_PATH: path });
    assert.ok(!line.includes(secret), line);
    assert.match(
      line,
      /^cache: Deno KV in .*\*\*\*.* \(AOAI_EDGE_KV_PATH looks like it holds a secret/,
    );
  }
  // The Azure key, pasted into the path too.
  const line = kvLine({
    AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
    AZURE_OPENAI_API_KEY: "azure-key-words-only-value",
    AOAI_EDGE_KV_PATH: "azure-key-words-only-value",
  });
  assert.ok(!line.includes("azure-key-words"), line);
});

Deno.test("serveEdge(): a HOST that looks like a secret is not quoted in its error; an address is", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const base = { PORT: "0", AOAI_EDGE_KEYS: CLIENT_KEY, AOAI_EDGE_KV_PATH: `${dir}/edge.kv` };
    for (const host of [HEX_KEY, CLIENT_KEY]) {
      await assert.rejects(
        serveEdge(edgeConfigFromEnv(env({ ...base, HOST: host }))),
        (err: Error) => {
          assert.match(err.message, /^cannot listen on \*\*\*:0: .*set HOST to an address/);
          assert.ok(!err.message.includes(host), err.message);
          return true;
        },
      );
    }
    await assert.rejects(
      serveEdge(edgeConfigFromEnv(env({ ...base, HOST: "192.0.2.1" }))),
      /^Error: cannot listen on 192\.0\.2\.1:0: /,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serveEdge(): an AZURE_CLIENT_CERTIFICATE_PATH or AOAI_EDGE_KV_PATH that looks like a secret is not quoted in its error", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const entra = {
      AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
      AZURE_TENANT_ID: "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10",
      AZURE_CLIENT_ID: "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f",
      AOAI_EDGE_KEYS: CLIENT_KEY,
      AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
      PORT: "0",
    };
    for (const path of [LONG_KEY, `${dir}/${HEX_KEY}.pem`]) {
      const config = edgeConfigFromEnv(env({ ...entra, AZURE_CLIENT_CERTIFICATE_PATH: path }));
      await assert.rejects(serveEdge(config), (err: Error) => {
        assert.match(
          err.message,
          /^AZURE_CLIENT_CERTIFICATE_PATH: cannot read .*\*\*\*.* \(NotFound\)/,
        );
        assert.ok(!err.message.includes(path), err.message);
        return true;
      });
    }
    // A KV path whose directory cannot be made (its parent is a file): Deno's error quotes it.
    const file = `${dir}/a-file`;
    await Deno.writeTextFile(file, "");
    const kvPath = `${file}/${HEX_KEY}/edge.kv`;
    await assert.rejects(
      serveEdge(edgeConfigFromEnv(env({ PORT: "0", AOAI_EDGE_KV_PATH: kvPath }))),
      (err: Error) => {
        assert.ok(!err.message.includes(HEX_KEY), err.message);
        assert.ok(err.message.includes(`${file}/***`), err.message);
        return true;
      },
    );
    // A path is quoted as it is.
    await assert.rejects(
      serveEdge(edgeConfigFromEnv(env({ PORT: "0", AOAI_EDGE_KV_PATH: `${file}/kv/edge.kv` }))),
      (err: Error) => err.message.includes(`${file}/kv`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
