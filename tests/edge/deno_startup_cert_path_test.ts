// The start-up line naming the Entra ID credential prints AZURE_CLIENT_CERTIFICATE_PATH as it is,
// except its parts that look like a secret pasted there by mistake (as the KV path's line and
// serveEdge()'s errors mask them): it printed the path whole.
import assert from "node:assert/strict";
import { edgeConfigFromEnv } from "../../edge/deno.ts";

const HEX_KEY = "9f2c1e0a7b3d4c5e6f708192a3b4c5d6";
const CLIENT_KEY = "pasted-client-key-words-only";
const entra = {
  AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
  AZURE_TENANT_ID: "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10",
  AZURE_CLIENT_ID: "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f",
  AOAI_EDGE_KEYS: CLIENT_KEY,
};
const authLine = (path: string) =>
  edgeConfigFromEnv((name) =>
    ({ ...entra, AZURE_CLIENT_CERTIFICATE_PATH: path } as Record<string, string>)[name]
  ).banner.find((line) => line.startsWith("auth: ")) ?? "";

Deno.test("edgeConfigFromEnv(): the auth start-up line masks the parts of AZURE_CLIENT_CERTIFICATE_PATH that look like a secret, and prints a path as it is", () => {
  for (const [path, secret] of [[`/certs/${HEX_KEY}.pem`, HEX_KEY], [CLIENT_KEY, CLIENT_KEY]]) {
    const line = authLine(path);
    assert.ok(!line.includes(secret), line);
    assert.match(line, /AZURE_CLIENT_CERTIFICATE_PATH \(.*\*\*\*.*\)/);
  }
  for (const path of ["/etc/aoai-edge/client.pem", "C:\\certs\\aoai edge\\client.pem"]) {
    assert.ok(authLine(path).includes(`AZURE_CLIENT_CERTIFICATE_PATH (${path})`), path);
  }
  // The path itself still reaches the config, unmasked: it is the file read.
  const config = edgeConfigFromEnv((name) =>
    ({ ...entra, AZURE_CLIENT_CERTIFICATE_PATH: `/certs/${HEX_KEY}.pem` } as Record<
      string,
      string
    >)[name]
  );
  assert.equal(config.entraCertificate?.path, `/certs/${HEX_KEY}.pem`);
});
