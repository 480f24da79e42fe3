// The SDK's names on an API error: `error` is the body's `error` object (undefined for a body
// with none, or no body), `requestID` the request id. (Mutation testing: dropping either getter's
// return, or reading `.error` of an undefined body, survived the errors' tests.)
import assert from "node:assert/strict";
import { AzureOpenAIError, BadRequestError } from "./api_error.ts";

Deno.test("AzureOpenAIError.error is the body's error object; requestID the request id", () => {
  const body = { error: { code: "content_filter", message: "filtered" } };
  const err = new BadRequestError("bad", { body, requestId: "req-7" });
  assert.equal(err.error, body.error);
  assert.equal(err.requestID, "req-7");
  const bare = new AzureOpenAIError("no body");
  assert.equal(bare.error, undefined);
  assert.equal(bare.requestID, undefined);
  assert.equal(new AzureOpenAIError("text body", { body: "oops" }).error, undefined);
});
