// A fetch option that is no function, and a params.model that is no string, are refused with a
// TypeError that names them, before any request (a model of the wrong type is not read as "use
// the client's deployment").
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const endpoint = "https://r.openai.azure.com";

Deno.test("AzureOpenAI() refuses a fetch option that is not a function", () => {
  for (const fetch of ["https://proxy.example", {}, 42]) {
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => new AzureOpenAI({ endpoint, apiKey: "k", fetch: fetch as any }),
      (err: Error) =>
        err instanceof TypeError && err.message == "AzureOpenAI: fetch must be a function",
    );
  }
});

Deno.test("a params.model that is not a string is refused, also with the client's deployment", async () => {
  let fetched = 0;
  const client = new AzureOpenAI({
    endpoint,
    apiKey: "k",
    deployment: "gpt-4o",
    fetch: () => (fetched++, Promise.resolve(Response.json({}))),
  });
  for (const model of [42, {}, ["gpt-4o"]]) {
    await assert.rejects(
      // deno-lint-ignore no-explicit-any
      client.embeddings.create({ model: model as any, input: "hi" }),
      (err: Error) =>
        err instanceof TypeError &&
        err.message == "embeddings.create: params.model must be a deployment name (string)",
    );
  }
  assert.equal(fetched, 0);
});
