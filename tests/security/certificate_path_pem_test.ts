// The PEM text (private key and certificate) pasted into AZURE_CLIENT_CERTIFICATE_PATH instead of
// AZURE_CLIENT_CERTIFICATE was taken for a file name: the start-up banner printed it
// ("with a certificate from AZURE_CLIENT_CERTIFICATE_PATH (-----BEGIN PRIVATE KEY-----…)") and
// serveEdge() failed with "cannot read -----BEGIN PRIVATE KEY-----…", the private key on stderr.
import assert from "node:assert/strict";
import { edgeConfigFromEnv } from "../../edge/deno.ts";

const KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7PrivateKeyBody";
const PEM = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----\n`;

Deno.test("edgeConfigFromEnv() refuses PEM text in AZURE_CLIENT_CERTIFICATE_PATH without printing it", () => {
  for (const pem of [PEM, PEM.replace(/\n/g, "\\n")]) {
    const vars: Record<string, string> = {
      AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com",
      AOAI_EDGE_KEYS: "a-client-key-0123",
      AZURE_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      AZURE_CLIENT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      AZURE_CLIENT_CERTIFICATE_PATH: pem,
    };
    let text = "";
    try {
      text = edgeConfigFromEnv((name) => vars[name]).banner.join("\n");
    } catch (err) {
      text = String(err);
      assert.match(text, /AZURE_CLIENT_CERTIFICATE_PATH/);
      assert.match(text, /AZURE_CLIENT_CERTIFICATE\b/);
    }
    assert.ok(!text.includes(KEY_BODY.slice(0, 16)), `the key is printed: ${text}`);
  }
});
