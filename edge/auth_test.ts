import assert from "node:assert/strict";
import { matchClientKey, presentedKey, timingSafeEqual } from "./auth.ts";

Deno.test("timingSafeEqual() is true only for identical strings", () => {
  assert.equal(timingSafeEqual("abcdefgh", "abcdefgh"), true);
  assert.equal(timingSafeEqual("abcdefgX", "abcdefgh"), false);
  assert.equal(timingSafeEqual("abcdefg", "abcdefgh"), false);
  assert.equal(timingSafeEqual("abcdefghi", "abcdefgh"), false);
  assert.equal(timingSafeEqual("", "abcdefgh"), false);
  assert.equal(timingSafeEqual("é", "é"), true);
  // Same length, repeated prefix: the modulo indexing must not make these equal.
  assert.equal(timingSafeEqual("abab", "abababab"), false);
});

Deno.test("presentedKey() reads api-key first, then Authorization: Bearer", () => {
  const req = (headers: Record<string, string>) => new Request("http://x/", { headers });
  assert.equal(presentedKey(req({ "api-key": " k1 " })), "k1");
  assert.equal(presentedKey(req({ authorization: "Bearer k2" })), "k2");
  assert.equal(presentedKey(req({ authorization: "bearer   k3  " })), "k3");
  assert.equal(presentedKey(req({ authorization: "Basic abc" })), undefined);
  assert.equal(presentedKey(req({})), undefined);
  assert.equal(presentedKey(req({ "api-key": "k1", authorization: "Bearer k2" })), "k1");
});

Deno.test("matchClientKey() returns the index of the matching key or -1", () => {
  const keys = ["first-key-123", "second-key-456"];
  const req = (key: string) => new Request("http://x/", { headers: { "api-key": key } });
  assert.equal(matchClientKey(req("first-key-123"), keys), 0);
  assert.equal(matchClientKey(req("second-key-456"), keys), 1);
  assert.equal(matchClientKey(req("second-key-45"), keys), -1);
  assert.equal(matchClientKey(new Request("http://x/"), keys), -1);
});
