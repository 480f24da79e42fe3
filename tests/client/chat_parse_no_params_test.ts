// chat.completions.parse() of no params object (null, a string) rejects as create() does, with
// the message that says what to pass, not the engine's "Cannot read properties of null".
import assert from "node:assert/strict";
import { chatCompletion, clientAnswering } from "./_helpers.ts";

Deno.test("parse(null) / parse('x') reject naming the params object, as create() does", async () => {
  const client = clientAnswering(chatCompletion([]));
  for (const params of [null, undefined, "gpt-4o"]) {
    await assert.rejects(
      () => client.chat.completions.parse(params as never),
      (err: unknown) => {
        assert.ok(err instanceof TypeError, String(err));
        assert.match(err.message, /pass a params object as the first argument/);
        return true;
      },
      String(params),
    );
  }
});
