/**
 * TokenCache's default windows: a token is refreshed in the background from 120 000 ms before it
 * expires (not a ms earlier), and waited for from 5 000 ms before (the cached one is still served
 * a ms earlier); an expiry given in seconds is read as seconds.
 */
import assert from "node:assert/strict";
import { TokenCache } from "./token_cache.ts";

const EXPIRY = 2_000_000_000_000; // ms

function cache(expiresOnTimestamp = EXPIRY) {
  const clock = { now: 0 };
  let calls = 0;
  const tokens = new TokenCache(
    () => ({ token: `t${++calls}`, expiresOnTimestamp }),
    { now: () => clock.now },
  );
  return { tokens, clock, calls: () => calls };
}

Deno.test("TokenCache refreshes in the background from 120000 ms before expiry by default", async () => {
  const c = cache();
  c.clock.now = EXPIRY - 200_000;
  assert.equal(await c.tokens.get(), "t1");
  c.clock.now = EXPIRY - 120_001;
  assert.equal(await c.tokens.get(), "t1");
  assert.equal(c.calls(), 1, "not yet");
  c.clock.now = EXPIRY - 120_000;
  assert.equal(await c.tokens.get(), "t1", "the cached token, served at once");
  assert.equal(c.calls(), 2, "a refresh started");
});

Deno.test("TokenCache serves the cached token until 5000 ms before expiry, then waits for one", async () => {
  const c = cache();
  c.clock.now = EXPIRY - 200_000;
  assert.equal(await c.tokens.get(), "t1");
  c.clock.now = EXPIRY - 5_001;
  // The background refresh (t2) has the same expiry: still served from the cache.
  assert.equal(await c.tokens.get(), "t1");
  c.clock.now = EXPIRY - 5_000;
  assert.equal(await c.tokens.get(), "t2", "a fresh one (the refresh in flight), waited for");
});

Deno.test("TokenCache reads an expiry in seconds as seconds", async () => {
  const c = cache(EXPIRY / 1000);
  c.clock.now = EXPIRY - 200_000;
  assert.equal(await c.tokens.get(), "t1");
  c.clock.now = EXPIRY - 5_000;
  assert.equal(await c.tokens.get(), "t2", "expired by the seconds read as ms × 1000");
});
