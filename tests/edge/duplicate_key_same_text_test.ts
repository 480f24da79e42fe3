// duplicateKeyPath(): a name given twice with the same value text (spaces around it aside) is no
// conflict, since every parser reads the same value; a different text is, even when both parse to
// the same value (1 and 1.0, "x" and "\u0078", two integers past 2^53 that round alike).
import assert from "node:assert/strict";
import { duplicateKeyPath } from "../../edge/validation/_duplicate_keys.ts";

Deno.test("duplicateKeyPath() passes a name repeated with the same value text", () => {
  for (
    const text of [
      '{"seed":1,"seed":1}',
      '{"e":0,"e":0}',
      '{"seed" : 1 ,\n "seed":1\t}',
      '{"a":"x\\",}","a":"x\\",}"}',
      '{"a":"\\\\","a":"\\\\"}',
      '{"a":{"b":[1,{"c":2}],"d":"}"},"a":{"b":[1,{"c":2}],"d":"}"}}',
      '{"a":[1,[2,3]],"b":0,"a":[1,[2,3]]}',
      '{"m":[{"r":"u","r":"u"}],"m":[{"r":"u","r":"u"}]}',
      '{"seed":9007199254740993,"seed":9007199254740993}',
      '{"a":null,"a":null,"a":null}',
    ]
  ) {
    assert.equal(duplicateKeyPath(text), undefined, text);
  }
});

Deno.test("duplicateKeyPath() refuses a name repeated with another value text, even one parsed alike", () => {
  const cases: Array<[string, (string | number)[]]> = [
    ['{"a":1,"a":1.0}', ["a"]],
    ['{"a":"x","a":"\\u0078"}', ["a"]],
    ['{"seed":9007199254740993,"seed":9007199254740992}', ["seed"]],
    ['{"a":"x\\",}","a":"x\\",]"}', ["a"]],
    ['{"a":{"b":1},"a":{"b":1 }}', ["a"]],
    ['{"a":[1,2],"a":[1, 2]}', ["a"]],
    ['{"a":1,"a":1,"a":2}', ["a"]],
    ['{"m":[{"r":"u"},{"r":"u","r":"s"}]}', ["m", 1, "r"]],
    // Same text as a whole, its inner object repeating a name with two values.
    ['{"a":{"b":1,"b":2},"a":{"b":1,"b":2}}', ["a", "b"]],
  ];
  for (const [text, path] of cases) assert.deepEqual(duplicateKeyPath(text), path, text);
});
