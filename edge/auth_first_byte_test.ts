import assert from "node:assert/strict";
import { matchClientKey, timingSafeEqual } from "./auth.ts";

Deno.test("timingSafeEqual() tells strings apart that differ only in their first byte", () => {
  assert.equal(timingSafeEqual("Xbcdefgh", "abcdefgh"), false);
  const req = new Request("http://x/", { headers: { "api-key": "Xlient-key-123" } });
  assert.equal(matchClientKey(req, ["client-key-123"]), -1);
});
