// setHeader() on a client context whose request a layer already built: the header goes on the
// built request and the other credential header comes off it (an auth layer switching to a bearer
// token must not send the api-key along). siteOf() names the call, method and URL.
import assert from "node:assert/strict";
import { CallContext, type CallFields, setHeader, siteOf } from "./_replay.ts";
import { makeContext } from "../../tests/middleware/_context.ts";

const URL_ = "https://res.openai.azure.com/openai/deployments/d/embeddings?api-version=2024-10-21";

function callContext(): CallContext {
  const { request: _request, ...fields } = makeContext();
  return new CallContext({
    url: URL_,
    method: "POST",
    headers: { "api-key": "old-key", "content-type": "application/json" },
    body: "{}",
  }, { ...fields, operation: "embeddings.create", state: {} } as CallFields);
}

Deno.test("setHeader() on a built request sets the header and removes the one to drop", () => {
  const ctx = callContext();
  assert.equal(ctx.request.headers.get("api-key"), "old-key");
  setHeader(ctx, "authorization", "Bearer t", "api-key");
  assert.equal(ctx.request.headers.get("authorization"), "Bearer t");
  assert.equal(ctx.request.headers.has("api-key"), false);
});

Deno.test("siteOf() names the operation, method and URL of the call", () => {
  const text = siteOf(callContext());
  assert.ok(text.startsWith("embeddings.create"), text);
  assert.ok(text.includes("POST"), text);
  assert.ok(text.includes("res.openai.azure.com"), text);
});
