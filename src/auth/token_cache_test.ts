import assert from "node:assert/strict";
import { jwtExpiryMs, TokenCache } from "./token_cache.ts";

const b64url = (o: unknown) =>
  btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

Deno.test("jwtExpiryMs() reads exp from an unpadded base64url payload and ignores the rest", () => {
  // Payloads of every length modulo 4, with "-" and "_" in them.
  for (const pad of ["", "a", "ab", "abc", "?>?>"]) {
    const jwt = `${b64url({ alg: "none" })}.${b64url({ exp: 1_700_000_000, pad })}.sig`;
    assert.equal(jwtExpiryMs(jwt), 1_700_000_000_000);
  }
  assert.equal(jwtExpiryMs(`a.${b64url({ exp: "1" })}.c`), undefined);
  assert.equal(jwtExpiryMs(`a.${b64url(null)}.c`), undefined);
  assert.equal(jwtExpiryMs(`a.${b64url({ exp: 1 })}`), undefined);
  assert.equal(jwtExpiryMs("not a jwt"), undefined);
  assert.equal(jwtExpiryMs("a.!!!.c"), undefined);
});

Deno.test("TokenCache.get() refreshes within the margin and after invalidate()", async () => {
  let now = 0;
  let calls = 0;
  const cache = new TokenCache(
    () => ({ token: `t${++calls}`, expiresOnTimestamp: 10_000 }),
    { refreshMarginMs: 1_000, now: () => now },
  );
  assert.equal(await cache.get(), "t1");
  now = 8_999;
  assert.equal(await cache.get(), "t1");
  now = 9_000;
  assert.equal(await cache.get(), "t2");
  cache.invalidate();
  assert.equal(await cache.get(), "t3");
});

Deno.test("TokenCache.get() does not cache a token without a known expiry", async () => {
  let calls = 0;
  const cache = new TokenCache(() => ({ token: `t${++calls}`, expiresOnTimestamp: NaN }));
  assert.equal(await cache.get(), "t1");
  assert.equal(await cache.get(), "t2");
});

Deno.test("TokenCache.get() rejects a missing token and asks again on the next call", async () => {
  const answers: unknown[] = [
    () => {
      throw new Error("sync failure");
    },
    () => "",
    () => ({ token: 5 }),
    () => "ok",
  ];
  const cache = new TokenCache(() => (answers.shift() as () => string)());
  await assert.rejects(cache.get(), /sync failure/);
  await assert.rejects(cache.get(), TypeError);
  await assert.rejects(cache.get(), /non-empty string/);
  assert.equal(await cache.get(), "ok");
});

Deno.test("TokenCache.get() reads an expiresOnTimestamp in seconds as seconds and caches the token", async () => {
  const now = Date.UTC(2030, 0, 1);
  let calls = 0;
  const cache = new TokenCache(
    () => ({ token: `t${++calls}`, expiresOnTimestamp: now / 1000 + 3_600 }),
    { now: () => now },
  );
  assert.equal(await cache.get(), "t1");
  assert.equal(await cache.get(), "t1");
  assert.equal(calls, 1);
});

Deno.test("TokenCache.get() keeps a token that has not expired while its early refresh fails", async () => {
  let now = 0;
  let down = false;
  let calls = 0;
  const cache = new TokenCache(() => {
    calls++;
    if (down) throw new Error("Entra ID unreachable");
    return { token: `t${calls}`, expiresOnTimestamp: 10_000 };
  }, { refreshMarginMs: 1_000, now: () => now });
  assert.equal(await cache.get(), "t1");
  down = true;
  now = 9_500; // inside the refresh margin, still valid for 500 ms
  assert.equal(await cache.get(), "t1");
  assert.equal(calls, 2, "the refresh was tried");
  now = 10_000; // expired: nothing to fall back on
  await assert.rejects(cache.get(), /unreachable/);
  now = 9_500;
  cache.invalidate(); // a token the service refused is not used again
  await assert.rejects(cache.get(), /unreachable/);
  down = false;
  assert.equal(await cache.get(), "t5");
});

/** Lets settled provider calls reach the cache. */
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("TokenCache.get() inside the margin answers with the cached token and refreshes once in the background", async () => {
  let now = 0;
  const pending: ((token: string) => void)[] = [];
  let calls = 0;
  const cache = new TokenCache(() => {
    if (++calls === 1) return { token: "t1", expiresOnTimestamp: 3_600_000 };
    return new Promise((resolve) =>
      pending.push((token) => resolve({ token, expiresOnTimestamp: 7_200_000 }))
    );
  }, { refreshMarginMs: 120_000, now: () => now });
  assert.equal(await cache.get(), "t1");
  now = 3_500_000; // 100 s before expiry: inside the margin
  // The provider hangs, yet every call goes on with the valid token, and only one refresh runs.
  assert.deepEqual(await Promise.all([cache.get(), cache.get(), cache.get()]), ["t1", "t1", "t1"]);
  assert.equal(calls, 2);
  pending[0]("t2");
  await turn();
  assert.equal(await cache.get(), "t2");
  assert.equal(calls, 2);
});

Deno.test("TokenCache.get() waits 3 s after a failed background refresh before the next one", async () => {
  let now = 0;
  let calls = 0;
  const cache = new TokenCache(() => {
    if (++calls === 1) return { token: "t1", expiresOnTimestamp: 3_600_000 };
    if (calls <= 3) throw new Error("Entra ID unreachable");
    return { token: `t${calls}`, expiresOnTimestamp: 7_200_000 };
  }, { refreshMarginMs: 120_000, now: () => now });
  assert.equal(await cache.get(), "t1");
  now = 3_500_000;
  assert.equal(await cache.get(), "t1"); // starts refresh 2, which fails
  await turn();
  now += 2_999;
  assert.equal(await cache.get(), "t1");
  await turn();
  assert.equal(calls, 2, "no new refresh within 3 s of the failure");
  now += 1;
  assert.equal(await cache.get(), "t1"); // refresh 3, fails again
  await turn();
  assert.equal(calls, 3);
  now += 3_000;
  assert.equal(await cache.get(), "t1"); // refresh 4 succeeds
  await turn();
  assert.equal(await cache.get(), "t4");
});

Deno.test("TokenCache.get() waits for the refresh in a token's last 5 s", async () => {
  let now = 0;
  let calls = 0;
  const cache = new TokenCache(
    () => ({ token: `t${++calls}`, expiresOnTimestamp: calls * 3_600_000 }),
    { refreshMarginMs: 120_000, now: () => now },
  );
  assert.equal(await cache.get(), "t1");
  now = 3_595_000; // 5 s before expiry
  assert.equal(await cache.get(), "t2", "the call waited for the new token");
});

Deno.test("TokenCache.get() asks again after a caller gave up on a pending refresh; the old one ending does not drop the new one", async () => {
  const pending: { resolve: (t: string) => void; reject: (e: Error) => void }[] = [];
  const cache = new TokenCache(() =>
    new Promise<string>((resolve, reject) => pending.push({ resolve, reject }))
  );
  const gaveUp = new AbortController();
  const first = cache.get(gaveUp.signal);
  gaveUp.abort(new Error("deadline"));
  await assert.rejects(first, /deadline/);
  const second = cache.get();
  assert.equal(pending.length, 2, "the provider is asked again");
  pending[0].reject(new Error("late failure"));
  await turn();
  const third = cache.get();
  assert.equal(pending.length, 2, "the third call shares the second refresh");
  pending[1].resolve("t2");
  assert.deepEqual(await Promise.all([second, third]), ["t2", "t2"]);
});
