/**
 * A count option (maxRetries, timeoutMs, streamIdleTimeoutMs, the SDK's `timeout`) holding a
 * string is refused with the string quoted, so "30000" from an environment variable reads as the
 * string it is, and a long one (a key or token set there by mistake) is not shown at all.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const endpoint = "https://r.openai.azure.com";
const KEY = "0123456789abcdef0123456789abcdef";
const options = (extra: Record<string, unknown>) =>
  ({ endpoint, apiKey: KEY, ...extra }) as ConstructorParameters<typeof AzureOpenAI>[0];

Deno.test("a count option holding a key or token is refused without quoting it", () => {
  const token = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2lnbmF0dXJl";
  for (const name of ["maxRetries", "timeoutMs", "timeout", "streamIdleTimeoutMs"]) {
    for (const secret of [KEY, token]) {
      assert.throws(() => new AzureOpenAI(options({ [name]: secret })), (err: Error) => {
        assert.ok(err instanceof TypeError, name);
        assert.match(err.message, /must be a non-negative integer; got "\*\*\*"$/, name);
        assert.ok(!err.message.includes(secret.slice(0, 12)), `${name}: ${err.message}`);
        return true;
      });
    }
  }
});

Deno.test("a count option given as a short string says it got a string", () => {
  assert.throws(
    () => new AzureOpenAI(options({ timeout: "30000" })),
    /timeoutMs must be a non-negative integer; got "30000"$/,
  );
  assert.throws(
    () => new AzureOpenAI(options({ maxRetries: "" })),
    /maxRetries must be a non-negative integer; got ""$/,
  );
  // Numbers read as before.
  assert.throws(() => new AzureOpenAI(options({ maxRetries: -1 })), /got -1$/);
  assert.throws(() => new AzureOpenAI(options({ timeoutMs: Infinity })), /got Infinity$/);
  assert.throws(() => new AzureOpenAI(options({ timeoutMs: NaN })), /got NaN$/);
});

Deno.test("a call's count option holding a string is quoted too, a long one masked", async () => {
  let sent = 0;
  const client = new AzureOpenAI({
    endpoint,
    apiKey: "another-key",
    fetch: () => (sent++, Promise.resolve(Response.json({}))),
  });
  const params = { model: "e", input: "x" };
  await assert.rejects(
    client.embeddings.create(params, { maxRetries: KEY as never }),
    (err: Error) => /got "\*\*\*"$/.test(err.message) && !err.message.includes("0123456789"),
  );
  await assert.rejects(
    client.embeddings.create(params, { timeoutMs: "500" as never }),
    /timeoutMs must be a non-negative integer; got "500"$/,
  );
  assert.equal(sent, 0);
});
