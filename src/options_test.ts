import assert from "node:assert/strict";
import { checkApiVersion, checkCount } from "./options.ts";

Deno.test("checkApiVersion() accepts dated, preview and v1 versions only", () => {
  for (const v of ["2024-10-21", "2024-05-01-preview", "v1"]) {
    assert.equal(checkApiVersion(v, "w"), v);
  }
  for (const v of ["latest", "2024-10-21-beta", ["2024-10-21"], undefined]) {
    assert.throws(
      () => checkApiVersion(v, "where"),
      /^TypeError: where: apiVersion must look like/,
    );
  }
  assert.throws(() => checkApiVersion("latest", "w"), /got "latest"$/);
  // A long value may be a key set here by mistake: it is not quoted.
  assert.throws(() => checkApiVersion("abcdef0123456789abcdef", "w"), (err: Error) => {
    assert.match(err.message, /got "\*\*\*"$/);
    return !err.message.includes("abcdef");
  });
});

Deno.test("checkCount() accepts non-negative integers only", () => {
  assert.equal(checkCount(0, "n", "w"), 0);
  assert.equal(checkCount(3, "n", "w"), 3);
  for (const v of [-1, 1.5, NaN, Infinity, "3", undefined]) {
    assert.throws(
      () => checkCount(v, "maxRetries", "where"),
      /where: maxRetries must be a non-negative integer; got/,
    );
  }
});
