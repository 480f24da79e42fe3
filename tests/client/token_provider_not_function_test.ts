// A credential provider that is not a function is refused naming the option as the caller wrote
// it: azureADTokenProvider (the openai SDK's name) was refused as "tokenProvider must be ...".
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

Deno.test("a non-function azureADTokenProvider / tokenProvider is refused by its own name", () => {
  for (const name of ["azureADTokenProvider", "tokenProvider"]) {
    assert.throws(
      () => new AzureOpenAI({ endpoint: "https://r.openai.azure.com", [name]: "eyJ-token" }),
      (err: Error) => {
        assert.ok(err instanceof TypeError, String(err));
        assert.equal(err.message, `AzureOpenAI: ${name} must be a function returning a token`);
        return true;
      },
    );
  }
});
