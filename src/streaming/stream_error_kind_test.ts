// Which typed error a stream's error payload gives: one rule for an `event: error` block and a
// `data: {"error":…}` one, by the error's `code` or `type`. Azure sends a failed stream's error
// with `type: "server_error"` (OpenAI's shape) or `code: "server_error"` (the spec's errorEvent,
// whose data is the bare error object); each is InternalServerError, as the same error in an
// HTTP 500 answer is.
import assert from "node:assert/strict";
import { AzureOpenAIError, InternalServerError } from "../errors/mod.ts";
import { streamFailure } from "./_test_helpers.ts";

const SERVER_ERRORS = [
  { code: "server_error", message: "The server had an error" },
  { type: "server_error", message: "The server had an error" },
  { code: "server_error", type: "server_error", message: "The server had an error" },
  { code: null, type: "server_error", param: null, message: "The server had an error" },
];

Deno.test("Stream throws InternalServerError for a server_error code or type, as `event: error` or as data", async () => {
  for (const error of SERVER_ERRORS) {
    const blocks = [
      `event: error\ndata: ${JSON.stringify({ error })}\n\n`,
      `event: error\ndata: ${JSON.stringify(error)}\n\n`,
      `data: ${JSON.stringify({ error })}\n\n`,
    ];
    for (const block of blocks) {
      const err = await streamFailure(block);
      assert.ok(err instanceof InternalServerError, `${block} gave ${err}`);
      assert.equal(err.status, 500, block);
      assert.equal(err.code, error.code ?? undefined, block);
      assert.match(err.message, /The server had an error \[request id req-123\]$/);
    }
  }
});

Deno.test("Stream throws a plain AzureOpenAIError for an error payload without status, numeric code or server_error", async () => {
  for (
    const block of [
      'event: error\ndata: {"error":{"code":"oops","message":"odd"}}\n\n',
      'data: {"error":{"type":"invalid_request_error","message":"odd"}}\n\n',
    ]
  ) {
    const err = await streamFailure(block);
    assert.ok(err instanceof AzureOpenAIError, block);
    assert.equal(err.constructor, AzureOpenAIError, block);
    assert.equal(err.status, undefined, block);
  }
});
