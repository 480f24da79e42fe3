// An error payload's own `status` decides its typed error, before its `code`; an `event: error`
// whose data is no object (text, null) still gives the event's error, not a processing failure.
import assert from "node:assert/strict";
import { AzureOpenAIError, RateLimitError } from "../errors/mod.ts";
import { streamFailure } from "./_test_helpers.ts";

Deno.test("Stream types an error payload by its status, before its code", async () => {
  const error = { status: 429, code: "500", message: "slow down" };
  for (
    const block of [
      `event: error\ndata: ${JSON.stringify({ error })}\n\n`,
      `data: ${JSON.stringify({ error })}\n\n`,
    ]
  ) {
    const err = await streamFailure(block);
    assert.ok(err instanceof RateLimitError, `${block} gave ${err}`);
    assert.equal(err.status, 429);
  }
});

Deno.test("Stream gives the event's error for an `event: error` whose data is null or text", async () => {
  for (const data of ["null", "upstream broke"]) {
    const err = await streamFailure(`event: error\ndata: ${data}\n\n`);
    assert.ok(err instanceof AzureOpenAIError, String(err));
    assert.equal(err.status, undefined);
    assert.doesNotMatch(err.message, /could not be processed/, data);
  }
});
