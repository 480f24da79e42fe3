import assert from "node:assert/strict";
import { APIConnectionError, BadRequestError, RateLimitError } from "./api_error.ts";

Deno.test("AzureOpenAIError.toJSON() lists the service fields, never headers, body or cause", () => {
  const init = {
    status: 400,
    code: "c",
    param: "p",
    type: "t",
    requestId: "r",
    innerError: { code: "i" },
    contentFilterResults: { hate: {} },
    headers: new Headers({ "api-key": "secret" }),
    revisedPrompt: "rp",
    body: { secret: true },
    cause: new Error("secret"),
  };
  const err = new BadRequestError("m", init);
  assert.deepEqual(Object.entries(err.toJSON()), [
    ["name", "BadRequestError"],
    ["message", "m"],
    ["status", 400],
    ["code", "c"],
    ["param", "p"],
    ["type", "t"],
    ["requestId", "r"],
    ["innerError", { code: "i" }],
    ["contentFilterResults", { hate: {} }],
  ]);
  assert.equal(err.cause, init.cause);
  assert.equal(err.revisedPrompt, "rp");
  assert.equal(err.headers, init.headers);
  assert.deepEqual(new RateLimitError("m", { retryAfterMs: 5 }).toJSON().retryAfterMs, 5);
  const json = new RateLimitError("m").toJSON();
  assert.ok("retryAfterMs" in json && json.retryAfterMs === undefined);
  assert.equal(Object.keys(json).at(-1), "retryAfterMs");
});

Deno.test("AzureOpenAIError() keeps no cause unless one is given", () => {
  assert.equal("cause" in new APIConnectionError("m"), false);
  assert.equal("cause" in new APIConnectionError("m", { cause: undefined }), false);
  assert.equal(new APIConnectionError("m", { cause: 0 }).cause, 0);
  for (const key of ["status", "code", "body", "headers"]) {
    assert.ok(Object.hasOwn(new APIConnectionError("m"), key));
  }
});
