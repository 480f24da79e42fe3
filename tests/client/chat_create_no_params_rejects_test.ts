/**
 * chat.completions.create() and completions.create() of no params object (null, undefined, a
 * string) return a promise that rejects with the TypeError that says what to pass: no synchronous
 * throw, and not the engine's "Cannot read properties of null".
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

Deno.test("create(null) rejects naming the params object, for chat and completions", async () => {
  let requests = 0;
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-no-params-test-key-123456",
    deployment: "d",
    fetch: () => (requests++, Promise.resolve(Response.json({ choices: [] }))),
  });
  const calls = [
    ["chat.completions.create", (p: unknown) => client.chat.completions.create(p as never)],
    ["completions.create", (p: unknown) => client.completions.create(p as never)],
  ] as const;
  for (const [name, create] of calls) {
    for (const params of [null, undefined, "hi"]) {
      let promise: Promise<unknown> | undefined;
      assert.doesNotThrow(() => promise = create(params), `${name}(${params}) throws at once`);
      await assert.rejects(promise!, (err: unknown) => {
        assert.ok(err instanceof TypeError, String(err));
        assert.equal(err.message, `${name}: pass a params object as the first argument`);
        return true;
      });
    }
  }
  assert.equal(requests, 0);
});
