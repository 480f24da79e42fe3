// canonicalJson() promises JSON.stringify's output besides key order: an array hole is null.
import assert from "node:assert/strict";
import { cacheKey, canonicalJson } from "../../src/middleware/_cache_key.ts";

Deno.test("canonicalJson() writes an array hole as null, as JSON.stringify does", async () => {
  const holes = new Array<number>(3);
  holes[1] = 7;
  assert.equal(canonicalJson(holes), JSON.stringify(holes)); // [null,7,null]
  assert.equal(canonicalJson({ b: holes, a: 1 }), '{"a":1,"b":[null,7,null]}');
  assert.doesNotThrow(() => JSON.parse(canonicalJson(new Array(2))));
  assert.equal(await cacheKey([holes]), await cacheKey([[null, 7, null]]));
});
