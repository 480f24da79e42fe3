import assert from "node:assert/strict";
import { checkCount, shown } from "./options.ts";

Deno.test("shown(): a string of up to 20 characters is quoted; a longer one (a key, say) is masked", () => {
  const twenty = "12345678901234567890";
  assert.equal(shown(twenty), `"${twenty}"`);
  assert.equal(shown(twenty + "1"), '"***"');
  assert.throws(
    () => checkCount(twenty + "1", "maxRetries", "op"),
    { message: 'op: maxRetries must be a non-negative integer; got "***"' },
  );
});
