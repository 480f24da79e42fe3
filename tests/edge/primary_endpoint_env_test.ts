/**
 * The primary `AZURE_OPENAI_ENDPOINT` and `AZURE_OPENAI_API_KEY` are held to the rules their
 * fallback entries are: an endpoint with credentials, a query or a fragment, or a key no header can
 * carry, stops the app naming the variable (it failed later as `upstream: AzureOpenAI: …` or
 * `upstream: apiKeyAuth(): …`, naming none), never quoting the value.
 */
import assert from "node:assert/strict";
import { edgeConfigFromEnv } from "../../edge/deno.ts";
import worker from "../../edge/worker.ts";

const BASE = { AZURE_OPENAI_API_KEY: "azure-key-0123456789", AOAI_EDGE_KEYS: "client-key-abcdef" };
const CASES: Array<[Record<string, string>, RegExp, string]> = [
  [
    { AZURE_OPENAI_ENDPOINT: "https://user:s3cr3t-pass@my-res.openai.azure.com" },
    /AZURE_OPENAI_ENDPOINT/,
    "s3cr3t-pass",
  ],
  [
    { AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com/?sig=s3cr3t-sig" },
    /AZURE_OPENAI_ENDPOINT/,
    "s3cr3t-sig",
  ],
  [
    {
      AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
      AZURE_OPENAI_API_KEY: "azure-key-\u20ac-0123456789",
    },
    /AZURE_OPENAI_API_KEY/,
    "azure-key-",
  ],
];

for (const [vars, names, secret] of CASES) {
  const env: Record<string, string> = { ...BASE, ...vars };
  Deno.test(`edgeConfigFromEnv() and the Worker name the variable: ${JSON.stringify(vars)}`, async () => {
    assert.throws(() => edgeConfigFromEnv((name) => env[name]), (err: Error) => {
      assert.match(err.message, names);
      assert.doesNotMatch(err.message, /^upstream/);
      assert.ok(!err.message.includes(secret), err.message);
      return true;
    });

    const res = await worker.fetch(
      new Request("http://edge.test/health"),
      env,
      { waitUntil() {} },
    );
    const text = await res.text();
    assert.equal(res.status, 500, text);
    assert.match(text, names);
    assert.ok(!text.includes(secret), text);
  });
}
