// partialParse() with a state, fed a JSON text in growing pieces (as `content` and tool-call
// `arguments` grow in `chat.completions.stream()`), must give for every prefix exactly what a
// fresh partialParse() of that prefix gives (deepStrictEqual, or both throw the same error), and
// read on from where it stopped rather than from the start.
import assert from "node:assert/strict";
import { partialParse as sdk } from "openai/_vendor/partial-json-parser/parser";
import { partialParse, type PartialParseState } from "./partial_json.ts";
import { randomJson } from "./_random_json.ts";

/** The value of `parse()`, or the class and message of what it threw. */
function outcome(parse: () => unknown): object {
  try {
    return { value: parse() };
  } catch (error) {
    return { threw: (error as Error).constructor.name, message: (error as Error).message };
  }
}

/** Feeds `text` to one state in pieces cut at `cuts` (sorted), comparing each with a fresh parse. */
function feed(text: string, cuts: number[], state: PartialParseState = {}): number {
  for (const cut of cuts) {
    const prefix = text.slice(0, cut);
    assert.deepStrictEqual(
      outcome(() => partialParse(prefix, state)),
      outcome(() => partialParse(prefix)),
      `prefix ${JSON.stringify(prefix)} of ${JSON.stringify(text)}`,
    );
  }
  return cuts.length;
}

let seed = 19;
const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % n;

/** Cuts in random-sized pieces (1 to `max` UTF-16 units, so surrogate pairs are split too). */
function pieces(length: number, max: number): number[] {
  const cuts = [0];
  while (cuts.at(-1)! < length) cuts.push(Math.min(length, cuts.at(-1)! + 1 + rand(max)));
  return cuts;
}

const FIXED = [
  '{"city":"Paris","days":2,"tags":["museums","food"],"ok":true,"none":null,"no":false}',
  '{"a" : 1 , "b" :[ 1 , 2 ] , "c" : "x" , "d" : { } , "e": [ ] }',
  '"\\ud83d\\ude00\\u00e9\\/\\"\\\\\\b\\f\\n\\r\\t"',
  '[ "a" , true , null , -1.5E+3 , 0.5e-2 , 1e21, -0, 123456789 ]',
  ' \n {"a":1}\n ',
  '\u00a0\u2028 [1, "x é € 😀", {"k\\"y": ["\\u0041\\\\u0041", 2.25]}] \u3000',
  JSON.stringify({ essay: "word ".repeat(200) + '\\ " \n 😀 é', n: -12.5e-7 }, null, 2),
  "12345",
  "-12.5e-7",
  "true",
  "null",
  "  ",
  "",
  "[[[[[]]]],{}]",
];

Deno.test("partialParse with a state: every prefix, one unit at a time, as a fresh parse", () => {
  let count = 0;
  for (const text of FIXED) {
    count += feed(text, Array.from({ length: text.length + 1 }, (_, i) => i));
  }
  assert.ok(count > 1400, `${count} prefixes`);
});

Deno.test("partialParse with a state: a number cut at every point, in and out of containers", () => {
  let count = 0;
  for (const number of ["-0.5e+10", "123.456E-7", "0", "-1", "1e21"]) {
    for (const text of [number, `[${number}]`, `{"n":${number},"m":[${number} ,${number}]}`]) {
      // Up to the cut one unit at a time, then to the end in one piece.
      for (let cut = 0; cut <= text.length; cut++) {
        count += feed(text, [...Array.from({ length: cut + 1 }, (_, i) => i), text.length]);
      }
    }
  }
  assert.ok(count > 1000, `${count} prefixes`);
});

Deno.test("partialParse with a state: seeded random JSON in random-sized pieces", () => {
  const { value, ws, write } = randomJson(20, [" ", "\n", "\t", "\r\n  ", "", "", "\u00a0"], {
    size: 5,
  });
  let count = 0;
  for (let i = 0; i < 600; i++) {
    const v = value();
    for (const text of [JSON.stringify(v), write(v), ws() + JSON.stringify(v, null, 2) + ws()]) {
      count += feed(text, pieces(text.length, [1, 3, 8, 20][rand(4)]));
    }
  }
  assert.ok(count > 10000, `${count} prefixes`);
});

Deno.test("partialParse with a state: a text that does not extend the last one is read from its start", () => {
  const state: PartialParseState = {};
  // The last text is cut short, replaced, emptied, or followed by one that shares a prefix only.
  const texts = [
    '{"a":"xy',
    '{"a":"xyz","b":[1,',
    '{"a":"x"}',
    '{"a":"xyz","b":[1,2]}',
    "",
    '["q',
    '{"a":"xyz","b":[1,2]',
    '{"a":"xyz","c":tr',
    '{"a":"xyz","c":true}',
    "  ",
    "[1",
    "1",
    "12",
  ];
  for (const text of texts) {
    assert.deepStrictEqual(
      outcome(() => partialParse(text, state)),
      outcome(() => partialParse(text)),
      text,
    );
  }
});

Deno.test("partialParse with a state: reads on from inside a cut string, not from its start", () => {
  const state: PartialParseState = {};
  const head = '{"list": [1, 2], "essay": "';
  assert.deepStrictEqual(partialParse(head + "abc", state), { list: [1, 2], essay: "abc" });
  // The state points at the cut string's quote and goes on reading it at the text's end.
  assert.deepStrictEqual([state.i, state.q], [head.length - 1, head.length + 3]);
  assert.deepStrictEqual(partialParse(head + "abc\\u00", state), { list: [1, 2], essay: "abc" });
  // An escape cut mid-way is read again once the text goes on.
  assert.deepStrictEqual([state.i, state.q], [head.length - 1, head.length + 3]);
  assert.deepStrictEqual(partialParse(head + 'abc\\u00e9"', state), {
    list: [1, 2],
    essay: "abcé",
  });
  // Past the string's end: the next token starts at the text's end.
  assert.deepStrictEqual([state.i, state.q], [head.length + 10, 0]);
});

type Value = { a: { b: number[] }; c?: string; x?: number };

Deno.test("partialParse with a state: each call gives new objects (a listener may keep or change one)", () => {
  const state: PartialParseState = {};
  const first = partialParse('{"a":{"b":[1,2]},"c":', state) as Value;
  first.a.b.push(3);
  first.x = 1;
  const second = partialParse('{"a":{"b":[1,2]},"c":"d', state) as Value;
  assert.deepStrictEqual(second, { a: { b: [1, 2] }, c: "d" });
  assert.notEqual(second.a, first.a);
  const third = partialParse('{"a":{"b":[1,2]},"c":"d', state) as Value;
  assert.deepStrictEqual(third, second);
  assert.notEqual(third, second);
});

Deno.test("partialParse with a state: whitespace JSON does not allow around the text is trimmed, as by the SDK's", () => {
  const text = '\u00a0\u2028\ufeff {"a": ["x", 1.5, true]} \u3000\u00a0';
  const state: PartialParseState = {};
  for (let i = 0; i <= text.length; i++) {
    const prefix = text.slice(0, i);
    const [ours, theirs] = [() => partialParse(prefix, state), () => sdk(prefix)].map(outcome);
    // Both throw (their errors differ) or give the same value.
    assert.deepStrictEqual(
      "threw" in ours! ? "throws" : ours,
      "threw" in theirs! ? "throws" : theirs,
    );
  }
});
