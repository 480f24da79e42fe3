/**
 * TokenCache: a provider that returns nothing (undefined, null) gets the typed message saying what
 * to return, not a property read's TypeError; a caller whose signal already aborted gets its
 * reason without the provider being asked.
 */
import assert from "node:assert/strict";
import { TokenCache, type TokenProvider } from "./token_cache.ts";

Deno.test("TokenCache names what to return when the provider returns nothing", async () => {
  for (const value of [undefined, null]) {
    const tokens = new TokenCache((() => value) as unknown as TokenProvider);
    await assert.rejects(tokens.get(), (err: Error) => {
      assert.ok(err instanceof TypeError);
      assert.match(err.message, /^tokenProvider must return a non-empty string or \{ token/);
      return true;
    }, String(value));
  }
});

Deno.test("TokenCache.get() with an aborted signal rejects with its reason, asking no provider", async () => {
  let calls = 0;
  const tokens = new TokenCache(() => `t${++calls}`);
  const reason = new Error("caller gave up");
  await assert.rejects(tokens.get(AbortSignal.abort(reason)), (err) => err === reason);
  assert.equal(calls, 0);
});
