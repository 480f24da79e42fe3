import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const KEY = "0123456789abcdef0123456789abcdef";
const client = () =>
  new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: KEY,
    fetch: () => Promise.resolve(Response.json({})),
  });

Deno.test("request() without an init object with a string path says to pass { path }", async () => {
  for (const init of [null, undefined, "models", {}, { path: 1 }]) {
    await assert.rejects(
      // deno-lint-ignore no-explicit-any
      client().request(init as any),
      {
        name: "TypeError",
        message: 'AzureOpenAI.request(): pass { path } (e.g. "chat/completions")',
      },
      String(init),
    );
  }
});

Deno.test("withOptions() of no options object says so, without quoting what it got (a key, say)", () => {
  const secret = "sk-not-an-options-object-0123456789";
  for (const options of [secret, null, undefined, 3]) {
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => client().withOptions(options as any),
      { name: "TypeError", message: "withOptions(): pass an options object" },
      String(options),
    );
  }
});
