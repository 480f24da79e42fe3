// partialParse() against the openai SDK's own (its vendored partial-json-parser, which its
// ChatCompletionStream uses for `content.delta`'s `parsed` and `arguments.delta`'s
// `parsed_arguments`): every prefix of a set of JSON texts, compact and indented, and of seeded
// random ones with random whitespace, must give the same value (deepStrictEqual) or both throw.
import assert from "node:assert/strict";
import { partialParse as sdk } from "openai/_vendor/partial-json-parser/parser";
import { partialParse } from "./partial_json.ts";
import { randomJson } from "./_random_json.ts";

/** The SDK's and our result for `text`: the value, or "throws". */
function both(text: string): [unknown, unknown] {
  return [sdk, partialParse].map((parse) => {
    try {
      return { value: parse(text) };
    } catch {
      return "throws";
    }
  }) as [unknown, unknown];
}

/** Asserts every prefix of `text` (by UTF-16 code unit, so surrogate pairs are cut too). */
function everyPrefix(text: string): number {
  for (let i = 0; i <= text.length; i++) {
    const [theirs, ours] = both(text.slice(0, i));
    assert.deepStrictEqual(ours, theirs, `prefix ${JSON.stringify(text.slice(0, i))}`);
  }
  return text.length + 1;
}

const VALUES: unknown[] = [
  { city: "Paris", days: 2, tags: ["museums", "food"] },
  { timezone: "Europe/Paris" },
  {
    a: [1, -2.5e-3, 1e21, 0, -0, 123456789, true, false, null, {}, [], [[]], { b: { c: [] } }],
    s: 'x"y\\z/\n\r\t\b\f\u0001\u001f é € 😀 \u2028\u00a0',
  },
  [1, "two", { three: 3.25 }, [true, [false, [null]]]],
  'plain \\ " \t string é 😀',
  12345,
  -12.5e-7,
  true,
  false,
  null,
  [],
  {},
  JSON.parse('{"__proto__": {"x": 1}, "k y": "v", "": "", "é": "\\ud83d", "u": "\\\\u0041"}'),
];

Deno.test("partialParse: every prefix of JSON texts gives the SDK's value or throws as it", () => {
  const texts = VALUES.flatMap((v) => [
    JSON.stringify(v),
    JSON.stringify(v, null, 2),
    JSON.stringify(v, null, "\t"),
  ]);
  texts.push(
    '{"a" : 1 , "b" :[ 1 , 2 ] , "c" : "x" , "d" : { } }',
    '"\\ud83d\\ude00\\u00e9\\/\\"\\\\"',
    '[ "a" , true , null , -1.5E+3 , 0.5e-2 ]',
    ' \n {"a":1}\n ',
    "  ",
  );
  let count = 0;
  for (const text of texts) count += everyPrefix(text);
  assert.ok(count > 1000, `${count} prefixes`);
});

Deno.test("partialParse: every prefix of seeded random JSON, whitespace between tokens", () => {
  // An empty array is written "[]": see the test below for "[ ]".
  const { value, write } = randomJson(18, [" ", "\n", "\t", "\r\n  ", ""], { tightEmpty: true });
  let count = 0;
  for (let i = 0; i < 400; i++) {
    const v = value();
    count += everyPrefix(JSON.stringify(v)) + everyPrefix(write(v));
  }
  assert.ok(count > 5000, `${count} prefixes`);
});

Deno.test("partialParse: an empty array with whitespace inside is read whole (the SDK's is not)", () => {
  // The SDK's parser stops after "[ ]" (it takes its "]" for the enclosing container's end).
  assert.deepStrictEqual(both('{"a": [ ], "b": 1}'), [{ value: { a: [] } }, {
    value: { a: [], b: 1 },
  }]);
  assert.deepStrictEqual(both("[[ ], 1]"), [{ value: [[]] }, { value: [[], 1] }]);
  assert.deepStrictEqual(both("[ ]"), [{ value: [] }, { value: [] }]);
});

Deno.test("partialParse: what it completes, drops and refuses", () => {
  const cases: [string, unknown][] = [
    ['{"city":"Par', { city: "Par" }],
    ['{"city":"Paris","da', { city: "Paris" }],
    ['{"city":"Paris","days":', { city: "Paris" }],
    ['{"city":"Paris","days":2', { city: "Paris" }],
    ['{"city":"Paris","days":2,', { city: "Paris", days: 2 }],
    ['{"tags":["a","b', { tags: ["a", "b"] }],
    ['{"ok":tr', { ok: true }],
    ['["x\\u00', ["x"]],
    ['["x\\', ["x"]],
    ["[-", []],
    ["[1.", []],
    ["[1e", []],
    ["nu", null],
    ['"abc  ', "abc"],
  ];
  for (const [text, value] of cases) assert.deepStrictEqual(partialParse(text), value, text);
  for (const text of ["", " \n", "-", "1.", "1e", "1e-"]) {
    assert.throws(() => partialParse(text), SyntaxError, JSON.stringify(text));
  }
});
