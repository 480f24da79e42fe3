import assert from "node:assert/strict";
import { AuthenticationError, AzureOpenAI, type TokenProvider } from "../../mod.ts";

const EMPTY = {
  object: "list",
  data: [],
  model: "m",
  usage: { prompt_tokens: 0, total_tokens: 0 },
};

/** A client on `provider` whose fetch records the authorization header it was sent. */
function recording(provider: TokenProvider) {
  const sent: Array<string | null> = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    deployment: "e",
    tokenProvider: provider,
    fetch: (input, init) => {
      sent.push(new Request(input, init).headers.get("authorization"));
      return Promise.resolve(Response.json(EMPTY));
    },
  });
  return { client, sent };
}

Deno.test("tokenProvider: a token no header can carry is refused with AuthenticationError, not kept, and asked for again", async () => {
  const answers = ["tok-secret-1\r\nx-injected: 1", "tok-good-2"];
  let asked = 0;
  const { client, sent } = recording(() => ({
    token: answers[asked++],
    expiresOnTimestamp: Date.now() + 3_600_000,
  }));
  await assert.rejects(client.embeddings.create({ input: "x" }), (err: unknown) => {
    assert.ok(err instanceof AuthenticationError, String(err));
    assert.match(err.message, /the tokenProvider failed .*nothing was sent/);
    for (const text of [err.message, String(err), err.stack, JSON.stringify(err)]) {
      assert.ok(!text?.includes("tok-secret-1"), "the token is not shown");
    }
    return true;
  });
  // The refused token was not cached for its hour: the next call asks the provider again.
  await client.embeddings.create({ input: "x" });
  assert.equal(asked, 2);
  assert.deepEqual(sent, ["Bearer tok-good-2"]);
});

Deno.test("tokenProvider: a blank token is refused with AuthenticationError before anything is sent", async () => {
  for (const blank of ["   ", { token: " \t ", expiresOnTimestamp: Date.now() + 3_600_000 }]) {
    const { client, sent } = recording(() => blank);
    await assert.rejects(client.embeddings.create({ input: "x" }), (err: unknown) => {
      assert.ok(err instanceof AuthenticationError, String(err));
      assert.match(err.message, /non-empty string/);
      return true;
    });
    assert.deepEqual(sent, []);
  }
});
