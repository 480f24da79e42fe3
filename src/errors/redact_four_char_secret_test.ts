import assert from "node:assert/strict";
import { redactSecrets } from "./redact.ts";

Deno.test("redactSecrets() masks a secret of exactly 4 characters and ignores one of 3", () => {
  assert.equal(redactSecrets("key abcd leaked", ["abcd"]), "key *** leaked");
  assert.equal(redactSecrets("key abc kept", ["abc"]), "key abc kept");
});
