// spliceMembers(): members added to an object (the client's bytes otherwise kept) are separated
// by commas also when the object had none, and a removed first member takes no comma along.
import assert from "node:assert/strict";
import { spliceMembers } from "./_forward.ts";

Deno.test("spliceMembers() adds several members to an empty object as valid JSON", () => {
  const text = spliceMembers("{ }", new Map<string, unknown>([["a", 1], ["b", [2]], ["c", "3"]]));
  assert.equal(text, '{ "a":1,"b":[2],"c":"3"}');
  assert.deepEqual(JSON.parse(text), { a: 1, b: [2], c: "3" });
});

Deno.test("spliceMembers() removes a first member and adds after the rest, other bytes kept", () => {
  const text = spliceMembers(
    '{"model": "x",\n  "n": 1e0 }',
    new Map<string, unknown>([["model", undefined], ["seed", 9007199254740993n.toString()]]),
  );
  assert.equal(text, '{"n": 1e0,"seed":"9007199254740993" }');
});
