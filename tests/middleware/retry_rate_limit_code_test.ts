/**
 * The RateLimitError retry() throws for a 429 asking too long a wait keeps the service's error code
 * ("RateLimitReached") and falls back to "429" only when the body names none.
 */
import assert from "node:assert/strict";
import { retry } from "../../src/middleware/retry.ts";
import { RateLimitError } from "../../src/errors/api_error.ts";
import { makeContext, recordingSleep } from "./_context.ts";

async function codeOf(body: unknown): Promise<unknown> {
  const { sleep } = recordingSleep();
  const res = () =>
    Promise.resolve(
      new Response(JSON.stringify(body), { status: 429, headers: { "retry-after": "120" } }),
    );
  const err = await retry({ sleep })(makeContext(), res).then(
    () => assert.fail("no error"),
    (e) => e,
  );
  assert.ok(err instanceof RateLimitError);
  return err.code;
}

Deno.test("retry()'s RateLimitError keeps the code the service sent", async () => {
  assert.equal(
    await codeOf({ error: { code: "RateLimitReached", message: "m" } }),
    "RateLimitReached",
  );
});

Deno.test('retry()\'s RateLimitError has code "429" when the body names none', async () => {
  assert.equal(await codeOf({ error: { message: "m" } }), "429");
  assert.equal(await codeOf({}), "429");
});
