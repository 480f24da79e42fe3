// A credential header (defaultHeaders or a call's headers) whose value has a line break inside is
// refused with a TypeError that does not quote the value (the engine's "Invalid header value:
// \"sk-…\"" was appended to it).
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { views } from "./_error_text_surfaces.ts";

const SECRET = "sk-GatewayKeyFromFile0123456789";
const BAD = { "ocp-apim-subscription-key": `${SECRET}\nsecond-line` };

Deno.test("a header value with a line break inside is refused without quoting it", async () => {
  const base = {
    endpoint: "https://res.openai.azure.com",
    apiKey: "sk-Client0123456789",
    deployment: "d",
  };
  const errors: unknown[] = [];
  try {
    new AzureOpenAI({ ...base, defaultHeaders: BAD });
  } catch (err) {
    errors.push(err);
  }
  const client = new AzureOpenAI({ ...base, fetch: () => Promise.reject(new Error("sent")) });
  errors.push(await client.embeddings.create({ input: "hi" }, { headers: BAD }).catch((e) => e));
  assert.equal(errors.length, 2);
  for (const err of errors) {
    assert.ok(err instanceof TypeError, String(err));
    assert.match(
      err.message,
      /[hH]eaders must map header names to string values without line breaks/,
    );
    assert.ok(!views(err).includes(SECRET), views(err));
  }
});
