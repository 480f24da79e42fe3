import assert from "node:assert/strict";
import { cacheKey, canonicalJson, sha256Hex } from "./_cache_key.ts";

Deno.test("canonicalJson() sorts keys at every depth", () => {
  assert.equal(
    canonicalJson({ b: { z: 1, y: [{ q: 1, p: 2 }] }, a: "x" }),
    '{"a":"x","b":{"y":[{"p":2,"q":1}],"z":1}}',
  );
});

Deno.test("canonicalJson() follows JSON.stringify for undefined, NaN and toJSON", () => {
  const date = new Date(0);
  assert.equal(
    canonicalJson({ u: undefined, n: Number.NaN, d: date, arr: [undefined, 1] }),
    `{"arr":[null,1],"d":${JSON.stringify(date)},"n":null}`,
  );
  assert.equal(canonicalJson(undefined), "null");
  assert.equal(canonicalJson("é\n"), JSON.stringify("é\n"));
});

Deno.test("canonicalJson() throws a TypeError on cycles and bigint", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => canonicalJson(cyclic), /cycle/);
  assert.throws(() => canonicalJson({ n: 1n }), /bigint/);
});

Deno.test("canonicalJson() accepts the same object twice when it is not a cycle", () => {
  const shared = { a: 1 };
  assert.equal(canonicalJson([shared, shared]), '[{"a":1},{"a":1}]');
});

Deno.test("sha256Hex() matches the known digest of 'abc'", async () => {
  assert.equal(
    await sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("cacheKey() is independent of key order and sensitive to values", async () => {
  const a = await cacheKey(["ns", { dimensions: 256, input_type: "query" }, "text"]);
  const b = await cacheKey(["ns", { input_type: "query", dimensions: 256 }, "text"]);
  const c = await cacheKey(["ns", { input_type: "query", dimensions: 512 }, "text"]);
  const d = await cacheKey(["ns", { input_type: "query", dimensions: 256 }, ["text"]]);
  assert.equal(a, b);
  assert.notEqual(a, c);
  assert.notEqual(a, d);
  assert.match(a, /^[0-9a-f]{64}$/);
});
