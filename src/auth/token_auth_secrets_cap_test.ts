/**
 * tokenAuth() keeps the latest 8 distinct tokens its provider returned (to scrub from errors), not
 * every token a long-lived process ever got; a token returned again is not listed twice.
 */
import assert from "node:assert/strict";
import { authSecrets, tokenAuth } from "./auth_middleware.ts";
import { TokenCache } from "./token_cache.ts";
import { makeContext } from "../../tests/middleware/_context.ts";

Deno.test("tokenAuth() lists the latest 8 tokens it sent, each once", async () => {
  let n = 0;
  // No expiry: every call asks the provider; t1 is returned twice.
  const cache = new TokenCache(() => (n++ === 1 ? "t1" : `t${n}`));
  const layer = tokenAuth(cache);
  for (let i = 0; i < 11; i++) {
    await layer(makeContext(), () => Promise.resolve(new Response("ok")));
  }
  assert.deepEqual(authSecrets(layer), ["t4", "t5", "t6", "t7", "t8", "t9", "t10", "t11"]);
});
