/**
 * A key or token read from a file or a command's output ends with a line break. fetch sends a
 * header value without its leading and trailing whitespace (the official SDK's client works with
 * such a key), so only a line break inside a credential is refused.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const KEY = "0123456789abcdef0123456789abcdef";
const TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2lnbmF0dXJl";

/** The api-key and authorization headers of one embeddings call of a client with `auth`. */
async function sent(auth: Record<string, unknown>) {
  const seen: (string | null)[][] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    maxRetries: 0,
    fetch: (request) => {
      seen.push([request.headers.get("api-key"), request.headers.get("authorization")]);
      return Promise.resolve(Response.json({ data: [{ embedding: [1], index: 0 }] }));
    },
    ...auth,
  });
  await client.embeddings.create({ model: "e", input: "x", encoding_format: "float" });
  return seen;
}

Deno.test("an apiKey or token with a trailing line break (read from a file) is sent without it", async () => {
  assert.deepEqual(await sent({ apiKey: `${KEY}\n` }), [[KEY, null]]);
  assert.deepEqual(await sent({ apiKey: ` ${KEY}\r\n` }), [[KEY, null]]);
  assert.deepEqual(await sent({ token: `${TOKEN}\n` }), [[null, `Bearer ${TOKEN}`]]);
  assert.deepEqual(await sent({ tokenProvider: () => `${TOKEN}\n` }), [[null, `Bearer ${TOKEN}`]]);
  assert.deepEqual(
    await sent({
      tokenProvider: () => ({ token: `${TOKEN}\r\n`, expiresOnTimestamp: Date.now() + 3_600_000 }),
    }),
    [[null, `Bearer ${TOKEN}`]],
  );
});

Deno.test("a line break inside a credential is still refused, without quoting it", async () => {
  for (const auth of [{ apiKey: `${KEY}\n${KEY}` }, { token: `Bearer\r\n${TOKEN}` }]) {
    assert.throws(() => new AzureOpenAI({ endpoint: "https://r.openai.azure.com", ...auth }), (
      err: Error,
    ) =>
      err instanceof TypeError && /line break/.test(err.message) && !/0123|eyJ/.test(err.message));
  }
  await assert.rejects(sent({ tokenProvider: () => `${TOKEN}\n${TOKEN}` }), (err: Error) => {
    assert.equal(err.name, "AuthenticationError");
    assert.match(err.message, /line break/);
    assert.ok(!err.message.includes("eyJ"), err.message);
    return true;
  });
});
