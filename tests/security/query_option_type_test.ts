// defaultQuery / a call's query that is not an object of parameters (a credential passed as the
// whole option, a list) is refused with a TypeError naming the option, which does not quote it;
// it was sent char by char (`0=s&1=k&…`, readable in every error's URL) or failed raw quoting it
// ("Cannot use 'in' operator to search for '0' in sk-…").
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { views } from "./_error_text_surfaces.ts";
import { CLIENT } from "./_query_credentials.ts";
import { thrown } from "./_thrown.ts";

const SECRET = "sk-QueryOptionGivenWhole0123456789";

Deno.test("defaultQuery that is no object is refused when the client is made, not quoted", async () => {
  const sent: string[] = [];
  for (const wrong of [SECRET, [SECRET], 5]) {
    const err = await thrown(async () => {
      const client = new AzureOpenAI({
        ...CLIENT,
        defaultQuery: wrong as never,
        fetch: (input) => {
          sent.push(String(input));
          return Promise.reject(new TypeError("offline"));
        },
      });
      await client.embeddings.create({ input: "hi" });
    });
    assert.ok(err instanceof TypeError, String(err));
    assert.match(err.message, /^AzureOpenAI: defaultQuery must be an object/);
    assert.ok(!views(err).includes(SECRET), views(err));
  }
  assert.deepEqual(sent, []);
});

Deno.test("a call's query that is no object is refused before sending, not quoted", async () => {
  const sent: string[] = [];
  const client = new AzureOpenAI({
    ...CLIENT,
    fetch: (input) => {
      sent.push(String(input));
      return Promise.reject(new TypeError("offline"));
    },
  });
  for (const wrong of [SECRET, [SECRET], 5]) {
    const err = await thrown(() =>
      client.embeddings.create({ input: "hi" }, { query: wrong as never })
    );
    assert.ok(err instanceof TypeError, String(err));
    assert.match(err.message, /^embeddings\.create: query must be an object/);
    assert.ok(!views(err).includes(SECRET), views(err));
  }
  assert.deepEqual(sent, []);
});
