// new AzureOpenAI("https://...") (the endpoint alone, as other Azure clients take it first) is
// refused as what it is: not an options object. It read as options without an endpoint.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

Deno.test("AzureOpenAI() given a string or number instead of options says to pass an options object", () => {
  for (const options of ["https://r.openai.azure.com", 42, true]) {
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => new AzureOpenAI(options as any),
      (err: Error) => {
        assert.ok(err instanceof TypeError, String(err));
        assert.equal(
          err.message,
          "AzureOpenAI: pass an options object with endpoint and apiKey or token",
        );
        return true;
      },
    );
  }
});
