/** `AZURE_OPENAI_ENDPOINT` that is no URL: the error names the variable and what to write. */
import assert from "node:assert/strict";
import { edgeConfigFromEnv } from "../../edge/deno.ts";

Deno.test("edgeConfigFromEnv() names AZURE_OPENAI_ENDPOINT when it is not an http(s) URL", () => {
  for (const endpoint of ["my-res.openai.azure.com", "ftp://my-res.openai.azure.com"]) {
    const env: Record<string, string> = {
      AZURE_OPENAI_ENDPOINT: endpoint,
      AZURE_OPENAI_API_KEY: "azure-key-0123456789",
      AOAI_EDGE_KEYS: "client-key-abcdef",
    };
    assert.throws(
      () => edgeConfigFromEnv((name) => env[name]),
      (err: Error) => {
        assert.match(err.message, /^AZURE_OPENAI_ENDPOINT is not an http\(s\) URL/);
        assert.match(err.message, /https:\/\/my-res\.openai\.azure\.com/);
        assert.doesNotMatch(err.message, /azure-key-0123456789/);
        return true;
      },
    );
  }
});
