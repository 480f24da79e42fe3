import assert from "node:assert/strict";
import { matchClientKey } from "./auth.ts";

// matchClientKey() is exported for routes of one's own, whose key list may come from an unset
// environment variable: a request without a key must not match an empty entry.
Deno.test("matchClientKey() never matches a request that presents no key, even to an empty key", () => {
  assert.equal(matchClientKey(new Request("http://x/"), [""]), -1);
  const blank = new Request("http://x/", { headers: { "api-key": " ", authorization: "Basic x" } });
  assert.equal(matchClientKey(blank, ["other-key-1", ""]), -1);
});
