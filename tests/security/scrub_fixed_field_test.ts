// Scrubbing an error the client raises itself must not break it: a parser's error with a field
// that cannot be redefined (zod's ZodError defines `issues` so) reached the caller as "TypeError:
// Cannot redefine property: issues" instead of the parser's own error; what the field holds is
// scrubbed in place.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const KEY = "sk-ScrubFixedField0123456789abcdef";

class FixedError extends Error {
  declare readonly issues: { message: string }[];
  constructor(message: string, issues: { message: string }[]) {
    super(message);
    Object.defineProperty(this, "issues", { value: issues, enumerable: true });
  }
}

Deno.test("parse(): a parser's error with a field that cannot be redefined reaches the caller as it is", async () => {
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: KEY,
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(Response.json({
        id: "x",
        object: "chat.completion",
        created: 1,
        model: "m",
        choices: [{
          index: 0,
          message: { role: "assistant", content: '{"word":"hi"}' },
          finish_reason: "stop",
        }],
      })),
  });
  // A zod issue quotes what it received: here an echoed key.
  const issues = [{ message: "not the word", received: KEY }];
  const format = Object.defineProperties({
    type: "json_schema",
    json_schema: { name: "w", schema: {}, strict: true },
  }, {
    $parseRaw: {
      value: () => {
        throw new FixedError(`the parser refused ${KEY}`, issues);
      },
    },
  });
  const err = await client.chat.completions.parse({
    model: "m",
    messages: [{ role: "user", content: "a word" }],
    response_format: format as never,
  }).then(() => assert.fail("resolved"), (e) => e);
  assert.ok(err instanceof FixedError, String(err));
  assert.equal(err.issues, issues);
  assert.equal(err.message, "the parser refused ***");
  assert.deepEqual(err.issues, [{ message: "not the word", received: "***" }]);
  assert.ok(!Deno.inspect(err, { depth: 9 }).includes(KEY));
});
