// new AzureOpenAI() refuses options it cannot use with a TypeError that names AzureOpenAI and
// the option, before any request: not a raw destructuring error, nor one naming an inner layer
// (apiKeyAuth(), tokenAuth()) the caller never called.
import assert from "node:assert/strict";
import { apiKeyAuth, AzureOpenAI, type Middleware } from "../../mod.ts";

const endpoint = "https://r.openai.azure.com";

function refused(options: unknown, message: string | RegExp): void {
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => new AzureOpenAI(options as any),
    (err: Error) => {
      assert.ok(err instanceof TypeError, String(err));
      if (typeof message == "string") assert.equal(err.message, message);
      else assert.match(err.message, message);
      return true;
    },
  );
}

Deno.test("AzureOpenAI() without an options object says to pass one", () => {
  for (const options of [undefined, null]) {
    refused(options, "AzureOpenAI: pass an options object with endpoint and apiKey or token");
  }
});

Deno.test("AzureOpenAI() refuses a blank or non-string apiKey / token by its own name", () => {
  for (const name of ["apiKey", "token"]) {
    for (const value of ["", "  \n", 42, null]) {
      refused({ endpoint, [name]: value }, `AzureOpenAI: ${name} must be a non-empty string`);
    }
  }
});

Deno.test("AzureOpenAI() refuses a middleware option that is not an array of functions", () => {
  for (const middleware of ["logger", [() => {}, "retry"], {}]) {
    refused({ endpoint, apiKey: "k", middleware }, /^AzureOpenAI: middleware must be an array/);
  }
});

Deno.test("AzureOpenAI() counts only an auth layer in middleware as credentials", () => {
  const plain: Middleware = (_ctx, next) => next();
  refused({ endpoint, middleware: [plain] }, /^AzureOpenAI: no credentials; pass apiKey/);
  assert.doesNotThrow(() => new AzureOpenAI({ endpoint, middleware: [plain, apiKeyAuth("k")] }));
});

Deno.test("AzureOpenAI() refuses an empty or non-string deployment", () => {
  for (const deployment of ["", 42, null]) {
    refused(
      { endpoint, apiKey: "k", deployment },
      "AzureOpenAI: deployment must be a non-empty string",
    );
  }
});
