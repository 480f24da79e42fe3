/**
 * TokenCache.invalidate(token) drops the cached token only when it is that token (a parallel call
 * may have refreshed it already), and does nothing on an empty cache.
 */
import assert from "node:assert/strict";
import { TokenCache } from "./token_cache.ts";

function cache() {
  let calls = 0;
  return new TokenCache(() => ({ token: `t${++calls}`, expiresOnTimestamp: 1e13 }), {
    now: () => 1e12,
  });
}

Deno.test("TokenCache.invalidate(token) drops the cached token when it is that one", async () => {
  const tokens = cache();
  assert.equal(await tokens.get(), "t1");
  tokens.invalidate("t1");
  assert.equal(await tokens.get(), "t2");
});

Deno.test("TokenCache.invalidate(token) keeps a cached token that is another one", async () => {
  const tokens = cache();
  assert.equal(await tokens.get(), "t1");
  tokens.invalidate("t0");
  assert.equal(await tokens.get(), "t1");
});

Deno.test("TokenCache.invalidate(token) on an empty cache does nothing", async () => {
  const tokens = cache();
  tokens.invalidate("t1");
  assert.equal(await tokens.get(), "t1");
});
