/**
 * apiKeyAuth() and tokenAuth() refuse a credential that is not a non-empty string (an unset
 * environment variable read as "" or a number) when made, with a TypeError naming the option.
 */
import assert from "node:assert/strict";
import { apiKeyAuth, tokenAuth } from "./auth_middleware.ts";

Deno.test("apiKeyAuth() and tokenAuth() refuse an empty, blank or non-string credential", () => {
  for (const value of ["", "   ", 5, null]) {
    assert.throws(() => apiKeyAuth(value as string), (err: Error) => {
      assert.ok(err instanceof TypeError);
      assert.equal(err.message, "apiKeyAuth(): apiKey must be a non-empty string");
      return true;
    }, String(value));
  }
  for (const value of ["", "  \n"]) {
    assert.throws(
      () => tokenAuth(value),
      /^TypeError: tokenAuth\(\): token must be a non-empty string$/,
    );
  }
});
