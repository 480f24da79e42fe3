// partialParse(): a number after a whole value outside any array or object is no JSON text, so it
// throws (as JSON.parse) instead of giving the value before it; a number alone is read whole.
import assert from "node:assert/strict";
import { partialParse } from "./partial_json.ts";

Deno.test("partialParse(): a top-level number after a whole value throws; a lone number is read whole", () => {
  for (const text of ["1 2", '"a" 1', "true 3", "[1] 2", "{} -1"]) {
    assert.throws(() => partialParse(text), SyntaxError, text);
    assert.throws(() => partialParse(text, {}), SyntaxError, text);
  }
  assert.equal(partialParse(" 12 "), 12);
  const state = {};
  assert.equal(partialParse("1", state), 1);
  assert.equal(partialParse("12", state), 12);
});
