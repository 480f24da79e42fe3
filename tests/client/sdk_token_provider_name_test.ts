// The SDK's `azureADTokenProvider` option is named as written when it clashes with another
// credential option: with apiKey the error said "got apiKey and tokenProvider" (an option the
// caller did not write), and with tokenProvider too one of the two was silently used.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const provider = () => Promise.resolve("t");

function refusal(options: Record<string, unknown>): string {
  try {
    new AzureOpenAI({ endpoint: "https://r.openai.azure.com", ...options });
  } catch (err) {
    assert.ok(err instanceof TypeError, String(err));
    return err.message;
  }
  return assert.fail("expected a TypeError");
}

Deno.test("azureADTokenProvider with apiKey is refused naming azureADTokenProvider", () => {
  assert.equal(
    refusal({ apiKey: "k", azureADTokenProvider: provider }),
    "AzureOpenAI: pass exactly one of apiKey, token or tokenProvider; got apiKey and azureADTokenProvider",
  );
});

Deno.test("azureADTokenProvider with tokenProvider is refused, not one of them used", () => {
  assert.match(
    refusal({ tokenProvider: provider, azureADTokenProvider: provider }),
    /exactly one of .*; got tokenProvider and azureADTokenProvider$/,
  );
});

Deno.test("azureADTokenProvider alone still works", () => {
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    azureADTokenProvider: provider,
  });
  assert.equal(client.endpoint, "https://r.openai.azure.com");
});
